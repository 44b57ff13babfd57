#!/bin/sh
# Ready when /-/ready answers 200: with wget where the base has it (busybox in prom/prometheus),
# else with bash's /dev/tcp (Debian).
if command -v wget >/dev/null 2>&1; then
  exec wget -q -O /dev/null http://127.0.0.1:9090/-/ready
fi
exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/9090 || exit 1
printf "GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
IFS=" " read -r -t 3 _ status _ <&3 && [ "$status" = 200 ]'
