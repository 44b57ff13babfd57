-- The lease token each movement was written under (0: an opening, which needs no lease). The
-- account's fenced UPDATE comes before its entries in one transaction and holds the row lock to
-- commit, so per account the entries' IDs follow commit order and their tokens never go down:
-- the drill checker reads exactly that as "fenced writes accepted in token order".
alter table ledger_entries add column fence_token bigint not null default 0;
