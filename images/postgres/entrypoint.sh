#!/bin/bash
# First the node is made what the topology says (the same Java code bin/suite runs: initdb, clone,
# rewind or nothing); then the server replaces this shell, so it is the container's first process
# and `docker kill` is a real crash of it. Everything else (listen addresses, authentication, the
# replication settings, whom a replica follows) is in the data folder's configuration by then.
set -euo pipefail
# A small heap and a quick start: the preparation reads the topology and runs a few commands.
/opt/java/openjdk/bin/java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp '/opt/faultline/app/*:/opt/faultline/lib/*' dev.faultline.entrypoints.Entrypoints postgres-prepare
exec /usr/lib/postgresql/15/bin/postgres -D "$FAULTLINE_PG_HOME/data" "$@"
