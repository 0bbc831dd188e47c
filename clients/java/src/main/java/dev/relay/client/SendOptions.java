package dev.relay.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.wire.Qos;

/**
 * Options of a stored send. {@code qos} null means exactly-once (at-most-once goes through
 * {@link RelayClient#signal}); {@code idempotencyKey} null means the client makes one, and keeps it
 * across every retry of this send.
 */
public record SendOptions(JsonNode meta, Qos qos, String idempotencyKey) {

    public static final SendOptions DEFAULT = new SendOptions(null, null, null);

    public SendOptions {
        if (qos == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("at-most-once is not stored: use RelayClient.signal");
        }
    }

    public static SendOptions meta(JsonNode meta) {
        return new SendOptions(meta, null, null);
    }

    public SendOptions withQos(Qos qos) {
        return new SendOptions(meta, qos, idempotencyKey);
    }

    public SendOptions withKey(String key) {
        return new SendOptions(meta, qos, key);
    }
}
