-- A table for the tests' "service": keyed rows written through the shard client.
create table items (
  id         text        primary key,
  written_at timestamptz not null default now()
);
