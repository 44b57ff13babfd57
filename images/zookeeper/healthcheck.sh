#!/bin/bash
# Serving: the peer is a leader, a follower or standalone, per the srvr four-letter word.
exec 3<>/dev/tcp/127.0.0.1/2181 || exit 1
printf srvr >&3
grep -qE '^Mode: (leader|follower|standalone)' <&3
