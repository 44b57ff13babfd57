-- Balances move only under a lock-service lease: fence_token is the newest lease token that wrote
-- the row, and a write with an older one is refused (StorageFence).
alter table accounts
  add column fence_token bigint      not null default 0,
  add column updated_at  timestamptz not null default now(),
  add constraint accounts_balance_not_negative check (balance_cents >= 0);

-- Double entry: every movement is two (or more) entries that sum to zero. Money enters a shard
-- through '@external' (openings, deposits) and leaves a customer to '@revenue' (charges, refunds
-- the other way), so the entries on each shard sum to zero and an account's balance is the sum of
-- its own entries. Both legs of a movement are on the account's shard, in its transaction.
create table ledger_entries (
  id            bigserial   primary key,
  movement_id   text        not null,
  kind          text        not null check (kind in ('OPENING', 'DEPOSIT', 'CHARGE', 'REFUND')),
  account_id    text        not null,
  amount_cents  bigint      not null check (amount_cents <> 0),
  at            timestamptz not null default now(),
  unique (movement_id, account_id)
);
create index ledger_entries_by_account on ledger_entries (account_id, id);

-- A payment's ID is its operation ID (derived from the order), so a charge applies at most once.
-- VOIDED is the tombstone a refund leaves when it arrives before its charge: the charge, if it
-- ever arrives, finds it and fails (no hanging charge after a compensation).
create table payments (
  id              text        primary key,
  order_id        text        not null,
  account_id      text,
  owner_id        text,
  amount_cents    bigint      not null check (amount_cents >= 0),
  currency        char(3),
  status          text        not null check (status in ('CAPTURED', 'DECLINED', 'REFUNDED', 'VOIDED')),
  decline_reason  text,
  refunded_cents  bigint      not null default 0 check (refunded_cents >= 0),
  revision        bigint      not null default 1,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  check (refunded_cents <= amount_cents),
  check ((status = 'VOIDED') = (account_id is null))
);

create table refunds (
  id            text        primary key,
  payment_id    text        not null references payments (id),
  amount_cents  bigint      not null check (amount_cents >= 0),
  created_at    timestamptz not null default now()
);
create index refunds_by_payment on refunds (payment_id);
