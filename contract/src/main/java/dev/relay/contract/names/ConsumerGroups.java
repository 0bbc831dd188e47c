package dev.relay.contract.names;

import java.util.List;

/**
 * Kafka consumer group names. fanout-fn's configuration spells them (its NamesAgreeTest proves they
 * agree) and Terraform takes them from {@code NamesManifest}: IAM grants exactly these groups and the
 * lag alarms watch {@link #FANOUT_MESSAGES}.
 */
public final class ConsumerGroups {

    private ConsumerGroups() {
    }

    /** fanout-fn on {@link Topics#MESSAGES}: commits only routed offsets, so its lag is push latency. */
    public static final String FANOUT_MESSAGES = "relay-fanout";

    /** fanout-fn on {@link Topics#SIGNALS}: auto-commit, at most once. */
    public static final String FANOUT_SIGNALS = "relay-fanout-signals";

    /**
     * fanout-fn's dead-letter replay on {@link Topics#MESSAGES_DLQ}: its committed offsets mark what was
     * already re-published to {@link Topics#MESSAGES}.
     */
    public static final String FANOUT_DLQ_REPLAY = "relay-fanout-dlq-replay";

    public static List<String> all() {
        return List.of(FANOUT_MESSAGES, FANOUT_SIGNALS, FANOUT_DLQ_REPLAY);
    }
}
