package dev.relay.contract.names;

import java.util.List;

/** Kafka topic and header names, shared by producers, consumers, the local stack and Terraform. */
public final class Topics {

    private Topics() {
    }

    /** Committed messages; key = conversationId, so one conversation stays on one partition in order. */
    public static final String MESSAGES = "messages";

    /** What fanout gave up on, with the failure in the {@code relay-dlq-*} headers. */
    public static final String MESSAGES_DLQ = "messages-dlq";

    /** At-most-once signals and read receipts; never stored, short retention. */
    public static final String SIGNALS = "signals";

    /** Partitions the local stack creates per topic (more than one, so ordering is really by key). */
    public static final int LOCAL_PARTITIONS = 4;

    public static final String HEADER_DLQ_REASON = "relay-dlq-reason";
    public static final String HEADER_DLQ_TOPIC = "relay-dlq-original-topic";
    public static final String HEADER_DLQ_PARTITION = "relay-dlq-original-partition";
    public static final String HEADER_DLQ_OFFSET = "relay-dlq-original-offset";
    public static final String HEADER_DLQ_ATTEMPTS = "relay-dlq-attempts";

    public static List<String> all() {
        return List.of(MESSAGES, MESSAGES_DLQ, SIGNALS);
    }
}
