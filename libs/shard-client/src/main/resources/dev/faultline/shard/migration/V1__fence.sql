-- The write fence of this node (one row). Every shard-client write transaction first reads it
-- FOR SHARE and refuses to go on when the node serves another shard, when it was deposed, or when
-- it was (re)established under a newer topology epoch than the writer holds. The router updates
-- it during a failover; the row lock orders that update against in-flight writes.
create table fence (
  singleton  boolean primary key default true check (singleton),
  shard_id   integer not null,
  epoch      bigint  not null check (epoch > 0),
  deposed    boolean not null default false,
  changed_at timestamptz not null default now()
);
