package dev.relay.ingest.append;

import dev.relay.contract.names.Tables.Conversations;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Seqs {@code from..to} (inclusive, {@code 1 <= from <= to}) of one conversation, all acked by Kafka.
 * Recording them raises the conversation's {@code publishedSeq} to {@code to}, which is only allowed
 * when it already covers {@code from - 1} (no unpublished seq is skipped) and is below {@code to}
 * (it only rises): {@link #condition()} says exactly that.
 */
public record SeqRun(long from, long to) {

    public SeqRun {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("not a run of seqs: " + from + ".." + to);
        }
    }

    /**
     * The condition on {@code publishedSeq} (named {@code #ps}) that makes recording this run safe;
     * its values are {@link #conditionValues()}.
     */
    public String condition() {
        return from == 1 ? "(attribute_not_exists(#ps) OR #ps < :runTo)" : "(#ps >= :runBelow AND #ps < :runTo)";
    }

    public Map<String, AttributeValue> conditionValues() {
        AttributeValue to = AttributeValue.fromN(Long.toString(this.to));
        return from == 1 ? Map.of(":runTo", to) : Map.of(":runTo", to, ":runBelow", AttributeValue.fromN(Long.toString(from - 1)));
    }

    /** The attribute {@code #ps} stands for. */
    public static Map<String, String> conditionNames() {
        return Map.of("#ps", Conversations.PUBLISHED_SEQ);
    }
}
