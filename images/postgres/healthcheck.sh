#!/bin/bash
# Healthy: a primary that answers, or a replica whose WAL receiver streams (bin/suite status's
# rule). Peer authentication over the node's own socket: no password in the health check.
set -euo pipefail
state=$(psql -h /var/run/postgresql -U postgres -d postgres -XAtq -c \
  "select case when not pg_is_in_recovery() then 'primary'
               when exists (select 1 from pg_stat_wal_receiver where status = 'streaming')
               then 'streaming' else 'not-streaming' end")
[ "$state" = primary ] || [ "$state" = streaming ]
