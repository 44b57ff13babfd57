-- Rows the failover benchmark writes through the shard client, one per acknowledged write.
create table items (
  id         text        primary key,
  written_at timestamptz not null default now()
);
