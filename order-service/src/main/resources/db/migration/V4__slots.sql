-- Every row knows the hash slot it moves with when shards are added or removed: the slot of the
-- order's customer, which the order's ID carries in its first 16 bits. New rows take it from
-- their transaction (shard_meta.current_slot(), set by the shard client); older rows from the ID.
-- The trigger records changes to rows whose slot is being copied to another shard.
alter table orders add column slot integer default shard_meta.current_slot();
update orders set slot = ('x' || left(id::text, 4))::bit(16)::integer where slot is null;
alter table orders alter column slot set not null;
create index orders_by_slot on orders (slot);
create trigger orders_capture after insert or update or delete on orders
  for each row execute function shard_meta.capture();

alter table order_items add column slot integer default shard_meta.current_slot();
update order_items set slot = ('x' || left(order_id::text, 4))::bit(16)::integer where slot is null;
alter table order_items alter column slot set not null;
create index order_items_by_slot on order_items (slot);
create trigger order_items_capture after insert or update or delete on order_items
  for each row execute function shard_meta.capture();

alter table order_status_history add column slot integer default shard_meta.current_slot();
update order_status_history set slot = ('x' || left(order_id::text, 4))::bit(16)::integer
  where slot is null;
alter table order_status_history alter column slot set not null;
create index order_status_history_by_slot on order_status_history (slot);
create trigger order_status_history_capture after insert or update or delete
  on order_status_history for each row execute function shard_meta.capture();

alter table sagas add column slot integer default shard_meta.current_slot();
update sagas set slot = ('x' || left(order_id::text, 4))::bit(16)::integer where slot is null;
alter table sagas alter column slot set not null;
create index sagas_by_slot on sagas (slot);
create trigger sagas_capture after insert or update or delete on sagas
  for each row execute function shard_meta.capture();
