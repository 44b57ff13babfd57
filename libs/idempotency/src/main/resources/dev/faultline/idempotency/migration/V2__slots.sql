-- A key's record moves with the data it guards: it takes the slot of the transaction that wrote
-- it (shard_meta.current_slot(), set by the shard client). Records written before this have no
-- slot and stay where they are until the reaper deletes them (their retention is hours); a moved
-- customer's retry of such an old key is answered as a new request.
alter table idempotency_keys add column slot integer default shard_meta.current_slot();
create index idempotency_keys_by_slot on idempotency_keys (slot);
create trigger idempotency_keys_capture after insert or update or delete on idempotency_keys
  for each row execute function shard_meta.capture();
