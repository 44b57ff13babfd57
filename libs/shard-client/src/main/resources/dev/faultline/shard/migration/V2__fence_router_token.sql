-- The fencing token of the router lease under which the fence was last moved. A router changes
-- the fence only with a token at least as large, in the same UPDATE: a router that lost its lease
-- (paused, partitioned) and acts on an old belief is refused by the storage itself.
alter table fence add column router_token bigint not null default 0;
