#!/usr/bin/env bash
# Runs one server as a child and ends it when the JVM that launched it is gone, however that JVM
# died (SIGKILL included), so no server outlives its owner. Usage: watchdog.sh OWNER_PID CMD...
owner="$1"; shift
"$@" &
child=$!
name="$1"
# SIGTERM, then SIGKILL after 60 s: long enough for a JVM server on a loaded machine to finish its clean
# shutdown (DynamoDB Local forgets acknowledged writes when killed, so a "clean stop" must be one).
stop_child() {
  kill -TERM "$child" 2>/dev/null
  for _ in $(seq 1 240); do kill -0 "$child" 2>/dev/null || return 0; sleep 0.25; done
  echo "watchdog: $1 did not stop within 60 s of SIGTERM: SIGKILL" >&2
  kill -KILL "$child" 2>/dev/null
}
trap 'stop_child "$name"; exit 0' TERM INT HUP
while kill -0 "$owner" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.5; done
kill -0 "$child" 2>/dev/null && stop_child "$name"
wait "$child"
