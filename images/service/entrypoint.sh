#!/bin/bash
# exec: the JVM becomes the container's first process, so `docker stop` (SIGTERM) reaches it and
# the service shuts down gracefully; `docker kill` (SIGKILL) is the pod kill the drills use.
# JAVA_OPTS is split into words on purpose: it is a list of JVM flags.
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar /app/service.jar "$@"
