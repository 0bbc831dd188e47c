package dev.relay.platform.dynamo;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The one codec of single attribute values that every store reads and writes: numbers (seqs,
 * watermarks, counts, epoch times) and text. A missing attribute, or one of another type, reads as
 * absent, never as an exception.
 */
public final class ItemValues {

    private ItemValues() {
    }

    /** The number {@code attribute} of {@code item} holds; 0 when absent (seqs, watermarks and counters start at 0). */
    public static long number(Map<String, AttributeValue> item, String attribute) {
        return number(item, attribute, 0L);
    }

    /** The number {@code attribute} of {@code item} holds; {@code absent} when it holds none. */
    public static long number(Map<String, AttributeValue> item, String attribute, long absent) {
        AttributeValue value = item == null ? null : item.get(attribute);
        return value == null || value.n() == null ? absent : Long.parseLong(value.n());
    }

    /** The text {@code attribute} of {@code item} holds; null when it holds none. */
    public static String string(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item == null ? null : item.get(attribute);
        return value == null ? null : value.s();
    }

    /** A number attribute value. */
    public static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
