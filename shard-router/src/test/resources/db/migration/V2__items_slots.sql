-- As the services' tables: each row knows its slot, and changes are captured while it moves.
alter table items add column slot integer not null default shard_meta.current_slot();
alter table items add column payload text;
create index items_by_slot on items (slot);
create trigger items_capture after insert or update or delete on items
  for each row execute function shard_meta.capture();
