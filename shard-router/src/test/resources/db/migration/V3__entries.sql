-- A log per key whose key is a sequence each shard draws on its own (as the ledger's): entry n of
-- a key is written while its items row is locked, so per key the ids follow n. A move must keep
-- that order (the new shard gives the rows new numbers).
create table entries (
  id    bigserial primary key,
  key   text      not null,
  n     bigint    not null,
  slot  integer   not null default shard_meta.current_slot(),
  unique (key, n)
);
create index entries_by_slot on entries (slot);
create trigger entries_capture after insert or update or delete on entries
  for each row execute function shard_meta.capture();
