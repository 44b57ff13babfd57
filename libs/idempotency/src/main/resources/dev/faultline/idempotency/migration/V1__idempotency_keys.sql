-- One row per Idempotency-Key, on the shard that owns the data the request changes, written in the
-- same transaction as the change. Scoped to the caller: two callers may use the same key.
create table idempotency_keys (
  scope            text        not null,
  key              text        not null,
  -- SHA-256 of the operation and the canonical request body: the same key with another body is
  -- refused (422) rather than answered with the first request's outcome.
  fingerprint      text        not null,
  state            text        not null check (state in ('IN_PROGRESS', 'COMPLETED')),
  -- For requests answered in two steps (an order: created, then its saga waited for): what the
  -- first step made, so a retry after a crash can answer for it.
  recovery_point   text,
  locked_until     timestamptz,
  response_status  integer,
  response_headers text,
  response_body    text,
  created_at       timestamptz not null default now(),
  completed_at     timestamptz,
  primary key (scope, key),
  check (state = 'IN_PROGRESS' or response_status is not null)
);
-- The reaper deletes by age.
create index idempotency_keys_by_age on idempotency_keys (created_at);
