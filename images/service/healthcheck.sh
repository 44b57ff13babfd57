#!/bin/bash
# Healthy when the service's readiness group answers 200 on its own port. Plain bash (/dev/tcp):
# no curl in the image, and no second JVM started every few seconds.
port=${SERVER_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /actuator/health/readiness HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS=' ' read -r -t 3 _ status _ <&3 || exit 1
[ "$status" = 200 ]
