-- Orders live on the shard that owns their customer.
create table orders (
  id           uuid        primary key,
  customer_id  text        not null,
  account_id   text        not null,
  currency     char(3)     not null,
  total_cents  bigint      not null check (total_cents >= 0),
  status       text        not null,
  revision     bigint      not null default 1,
  created_at   timestamptz not null default now()
);
create index orders_by_customer on orders (customer_id, created_at desc);

create table order_status_history (
  order_id  uuid        not null references orders (id),
  seq       int         not null,
  status    text        not null,
  at        timestamptz not null default now(),
  primary key (order_id, seq)
);
