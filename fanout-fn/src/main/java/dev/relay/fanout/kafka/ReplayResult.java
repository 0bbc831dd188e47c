package dev.relay.fanout.kafka;

/**
 * What one replay request did.
 *
 * @param replayed  dead letters re-published to {@code messages} and marked done for the replay group
 * @param remaining dead letters that existed when the request started and are still not replayed
 *                  (over the limit or out of time); the next request continues with them
 */
public record ReplayResult(int replayed, long remaining) {
}
