package dev.relay.ingest.append;

import java.time.Instant;

/**
 * An {@code Idempotency-Key} claimed by a send: stored in the same transaction as the message.
 *
 * @param fingerprint digest of what makes two sends "the same" (conversation, body, meta, qos)
 * @param expiresAt   when DynamoDB TTL may drop the record; at least 24 h after the send
 */
public record IdempotencyClaim(String key, String fingerprint, Instant expiresAt) {
}
