alter table orders add column updated_at timestamptz not null default now();

create table order_items (
  order_id          uuid    not null references orders (id),
  line              int     not null,
  sku               text    not null,
  quantity          int     not null check (quantity > 0),
  unit_price_cents  bigint  not null check (unit_price_cents >= 0),
  primary key (order_id, line)
);

alter table order_status_history add column detail text;

-- The saga's own state beside its order (same shard, same transactions): when to try the next
-- step again, why the last try failed, and the newest recovery-lease token that wrote it (a worker
-- that lost its lease is refused here, as StorageFence refuses stale writers).
create table sagas (
  order_id         uuid        primary key references orders (id),
  attempts         int         not null default 0,
  next_attempt_at  timestamptz not null default now(),
  last_error       text,
  fence_token      bigint      not null default 0,
  started_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  finished_at      timestamptz,
  outcome          text
);
create index sagas_due on sagas (next_attempt_at) where finished_at is null;
