#!/usr/bin/env bash
# Creates every topic of TOPIC_SPECS ("name:partitions:retention.ms,...") that does not exist yet
# and sets retention.ms on all of them, so running it again changes nothing but retention.
# MSK Serverless fixes the replication factor (3) and min.insync.replicas itself.
set -euo pipefail

: "${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS is not set}"
: "${TOPIC_SPECS:?TOPIC_SPECS is not set}"
config=/opt/relay/client.properties
bin=/opt/kafka/bin

IFS=',' read -ra specs <<< "$TOPIC_SPECS"
for spec in "${specs[@]}"; do
  IFS=':' read -r topic partitions retention <<< "$spec"
  echo "topic ${topic}: ${partitions} partitions, retention.ms=${retention}"
  "$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$config" \
    --create --if-not-exists --topic "$topic" --partitions "$partitions" \
    --config "retention.ms=${retention}"
  "$bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$config" \
    --alter --entity-type topics --entity-name "$topic" --add-config "retention.ms=${retention}"
done
"$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$config" --describe
