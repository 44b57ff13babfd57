-- Online resharding: what a node needs so the router can move hash slots to another shard while
-- writes go on (copy, catch up, fenced cutover, delete).

-- The slot a write transaction works for. ShardClient sets faultline.slot for every slot-routed
-- transaction, and every sharded table's slot column defaults to this, so each row is born
-- knowing the slot it moves with (an order's items, a movement's both ledger legs: all of one
-- transaction, all of one slot).
create function current_slot() returns integer
  language sql stable
  as $$ select nullif(current_setting('faultline.slot', true), '')::integer $$;

-- Slots this node must not serve. FROZEN: a cutover is under way, so writes to the slot are
-- refused. GONE: the slot has moved away, so reads are refused too and a caller holding an older
-- topology is sent to the new owner rather than served a copy about to be deleted.
create table slot_fence (
  slot        integer     primary key,
  state       text        not null check (state in ('FROZEN', 'GONE')),
  epoch       bigint      not null,
  changed_at  timestamptz not null default now()
);

-- Slots being copied away from this node: changes to their rows are captured in changes.
create table moving_slots (
  slot   integer     primary key,
  since  timestamptz not null default now()
);

-- Rows of moving slots changed since their copy began: the mover re-reads each and makes the
-- target's copy match, then deletes the entry. Written by capture() in the writers' own
-- transactions, so a change and its record commit or vanish together.
create table changes (
  seq   bigserial primary key,
  tbl   text      not null,
  slot  integer   not null,
  row   jsonb     not null
);
create index changes_by_slot on changes (slot, seq);

-- The row trigger of every sharded table. Costs one indexed lookup per changed row while no slot
-- of the row moves.
create function capture() returns trigger
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
  if tg_op = 'UPDATE' and old.slot is distinct from new.slot then
    raise exception 'a row never changes slot (% -> %)', old.slot, new.slot;
  end if;
  return null;
end
$$;
