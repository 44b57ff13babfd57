-- A row written before its table had a slot column gets its slot once (the services' backfills);
-- after that it never changes slot.
create or replace function capture() returns trigger
  language plpgsql
  as $$
declare
  r record;
begin
  if tg_op = 'DELETE' then
    r := old;
  else
    r := new;
  end if;
  if r.slot is not null and exists (select 1 from shard_meta.moving_slots m where m.slot = r.slot) then
    insert into shard_meta.changes (tbl, slot, row)
      values (quote_ident(tg_table_schema) || '.' || quote_ident(tg_table_name), r.slot, to_jsonb(r));
  end if;
  if tg_op = 'UPDATE' and old.slot is not null and old.slot is distinct from new.slot then
    raise exception 'a row never changes slot (% -> %)', old.slot, new.slot;
  end if;
  return null;
end
$$;
