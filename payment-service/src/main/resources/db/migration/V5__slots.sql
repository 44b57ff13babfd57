-- Every row knows the hash slot it moves with when shards are added or removed: its account's.
-- New rows take it from their transaction (shard_meta.current_slot(), set by the shard client):
-- an account, its ledger legs (the counter-account's leg too, so a movement moves whole), its
-- payments and refunds. Payments and refunds written before carry it in the payment ID
-- (pay_<slot hex>_...); accounts and their entries get it from V6 (it needs the key hash).
-- The trigger records changes to rows whose slot is being copied to another shard.
alter table accounts add column slot integer default shard_meta.current_slot();
create index accounts_by_slot on accounts (slot);
create trigger accounts_capture after insert or update or delete on accounts
  for each row execute function shard_meta.capture();

alter table ledger_entries add column slot integer default shard_meta.current_slot();
create index ledger_entries_by_slot on ledger_entries (slot);
create trigger ledger_entries_capture after insert or update or delete on ledger_entries
  for each row execute function shard_meta.capture();

alter table payments add column slot integer default shard_meta.current_slot();
update payments set slot = ('x' || substr(id, 5, 4))::bit(16)::integer where slot is null;
alter table payments alter column slot set not null;
create index payments_by_slot on payments (slot);
create trigger payments_capture after insert or update or delete on payments
  for each row execute function shard_meta.capture();

alter table refunds add column slot integer default shard_meta.current_slot();
update refunds set slot = ('x' || substr(payment_id, 5, 4))::bit(16)::integer where slot is null;
alter table refunds alter column slot set not null;
create index refunds_by_slot on refunds (slot);
create trigger refunds_capture after insert or update or delete on refunds
  for each row execute function shard_meta.capture();
