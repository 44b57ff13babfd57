-- Accounts live on the shard that owns their ID; balances are the sum of their ledger entries.
create table accounts (
  id             text        primary key,
  owner_id       text        not null,
  currency       char(3)     not null,
  balance_cents  bigint      not null default 0,
  revision       bigint      not null default 1,
  created_at     timestamptz not null default now()
);
create index accounts_by_owner on accounts (owner_id);
