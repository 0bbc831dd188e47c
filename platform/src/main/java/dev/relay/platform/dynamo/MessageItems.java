package dev.relay.platform.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item codec of the conversation log table. {@code meta} is kept as its JSON text, {@code sentAt}
 * as ISO-8601 with millisecond precision; for every message ingest accepts, {@link #toItem} and
 * {@link #fromItem} are inverses.
 *
 * <p>Invariant: {@link #fromItem} turns any item that has the table's key into a message every reader
 * and hop can render (sync, history, inbox, the Kafka envelope, the edge's frames), so one stored item
 * written by an old or foreign writer can never fail a page or stop a publish. What cannot be rendered
 * as stored is replaced and marked, never dropped, so seq stays gap-free and cursors move past it:
 * <ul>
 *   <li>{@code meta} that is not JSON text, or nests deeper than {@link #MAX_META_DEPTH} (Jackson
 *       refuses to write documents over 1,000 levels, and every reader wraps meta in a few more), is
 *       replaced by {@code {"relay:unreadable":"<reason>"}};</li>
 *   <li>a missing or unreadable required attribute gets a neutral value (deterministic messageId,
 *       empty text, the epoch, at-least-once) and the same marker (added to meta when meta is an
 *       object, otherwise in its place);</li>
 *   <li>a lone UTF-16 surrogate in any text (body, sender, meta strings and names) becomes U+FFFD,
 *       as any UTF-8 decoder would do, without a marker.</li>
 * </ul>
 * Each such item is logged and counted ({@code relay_dynamodb_damaged_messages_total{reason}}).
 */
public final class MessageItems {

    /**
     * Deepest {@code meta} a reader renders as stored; ingest accepts at most 8 levels (API.md), so
     * only items no current writer makes are affected. Far below Jackson's 1,000-level limits.
     */
    public static final int MAX_META_DEPTH = 64;

    /** The key of the marker object that stands in for what could not be read. */
    public static final String UNREADABLE = "relay:unreadable";

    private static final Logger LOG = Logger.getLogger(MessageItems.class);
    private static final ObjectMapper META_JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_META_DEPTH).build())
            .build());
    private static final char REPLACEMENT = '\uFFFD';

    private MessageItems() {
    }

    public static Map<String, AttributeValue> toItem(Message message) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Messages.CONVERSATION_ID, AttributeValue.fromS(message.conversationId()));
        item.put(Messages.SEQ, AttributeValue.fromN(Long.toString(message.seq())));
        item.put(Messages.MESSAGE_ID, AttributeValue.fromS(message.messageId()));
        item.put(Messages.SENDER_ID, AttributeValue.fromS(message.senderId()));
        item.put(Messages.BODY, AttributeValue.fromS(message.body()));
        item.put(Messages.SENT_AT, AttributeValue.fromS(message.sentAt().toString()));
        item.put(Messages.QOS, AttributeValue.fromS(message.qos().wire()));
        if (message.meta() != null && !message.meta().isNull()) {
            item.put(Messages.META, AttributeValue.fromS(message.meta().toString()));
        }
        return item;
    }

    /**
     * The message of a log item, renderable whatever the item holds (see the class comment).
     *
     * @throws IllegalArgumentException only when the item lacks the table's key (conversationId, seq)
     */
    public static Message fromItem(Map<String, AttributeValue> item) {
        String conversationId = text(item.get(Messages.CONVERSATION_ID));
        AttributeValue seqValue = item.get(Messages.SEQ);
        if (conversationId == null || seqValue == null || seqValue.n() == null) {
            throw new IllegalArgumentException("a log item without its key");
        }
        long seq = ItemValues.number(item, Messages.SEQ);
        Damage damage = new Damage();

        String messageId = text(item.get(Messages.MESSAGE_ID));
        if (messageId == null) {
            damage.unreadable("message-id");
            messageId = UUID.nameUUIDFromBytes((conversationId + '\n' + seq).getBytes(StandardCharsets.UTF_8)).toString();
        }
        String senderId = requiredText(item, Messages.SENDER_ID, damage);
        String body = requiredText(item, Messages.BODY, damage);
        Instant sentAt = sentAt(item.get(Messages.SENT_AT), damage);
        Qos qos = qos(item.get(Messages.QOS), damage);
        JsonNode meta = meta(item.get(Messages.META), damage);
        if (damage.unreadable != null) {
            meta = marked(meta, damage.unreadable);
        }
        Message message = new Message(repaired(messageId, damage), conversationId, seq, repaired(senderId, damage),
                repaired(body, damage), meta, sentAt, qos);
        damage.report(conversationId, seq);
        return message;
    }

    /** What was wrong with one item; {@code unreadable} names the first part that had to be replaced. */
    private static final class Damage {
        final List<String> reasons = new ArrayList<>(2);
        String unreadable;

        void unreadable(String part) {
            reasons.add(part);
            if (unreadable == null) {
                unreadable = part;
            }
        }

        void repaired() {
            if (!reasons.contains("lone-surrogate")) {
                reasons.add("lone-surrogate");
            }
        }

        void report(String conversationId, long seq) {
            if (reasons.isEmpty()) {
                return;
            }
            for (String reason : reasons) {
                Metrics.counter("relay.dynamodb.damaged_messages", "reason", reason).increment();
            }
            LOG.warnf("log item %s/%d cannot be rendered as stored (%s); serving it repaired",
                    conversationId, seq, String.join(", ", reasons));
        }
    }

    private static String text(AttributeValue value) {
        return value == null ? null : value.s();
    }

    private static String requiredText(Map<String, AttributeValue> item, String attribute, Damage damage) {
        String value = text(item.get(attribute));
        if (value == null) {
            damage.unreadable(attribute + "-missing");
            return "";
        }
        return value;
    }

    private static Instant sentAt(AttributeValue value, Damage damage) {
        String text = text(value);
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // falls through to the neutral value
            }
        }
        damage.unreadable("sent-at");
        return Instant.EPOCH;
    }

    private static Qos qos(AttributeValue value, Damage damage) {
        String text = text(value);
        if (text != null) {
            try {
                Qos qos = Qos.fromWire(text);
                if (qos != null && qos.stored()) {
                    return qos;
                }
            } catch (RuntimeException e) {
                // falls through to the neutral value
            }
        }
        damage.unreadable("qos");
        return Qos.AT_LEAST_ONCE;
    }

    private static JsonNode meta(AttributeValue value, Damage damage) {
        if (value == null || Boolean.TRUE.equals(value.nul())) {
            return null;
        }
        if (value.s() == null) {
            damage.unreadable("meta-not-text");
            return null;
        }
        JsonNode tree;
        try {
            tree = META_JSON.readTree(value.s());
        } catch (StreamConstraintsException e) {
            // Nesting, or another of the parser's limits (a number of over 1,000 digits, say).
            damage.unreadable(e.getMessage() != null && e.getMessage().contains("nesting depth")
                    ? "meta-too-deep" : "meta-over-limits");
            return null;
        } catch (JsonProcessingException e) {
            damage.unreadable("meta-not-json");
            return null;
        }
        if (tree == null || tree.isMissingNode()) {
            damage.unreadable("meta-not-json");
            return null;
        }
        return repairedTree(tree, damage);
    }

    /** {@code meta} with the marker: added to a copy of an object, in place of anything else. */
    private static JsonNode marked(JsonNode meta, String reason) {
        ObjectNode marked = meta instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
        marked.put(UNREADABLE, reason);
        return marked;
    }

    /** The text with every lone surrogate replaced by U+FFFD; the same instance when there is none. */
    private static String repaired(String text, Damage damage) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = REPLACEMENT;
            }
        }
        if (chars == null) {
            return text;
        }
        damage.repaired();
        return new String(chars);
    }

    /** The tree with lone surrogates repaired in every string and field name; depth is bounded by the parser. */
    private static JsonNode repairedTree(JsonNode node, Damage damage) {
        if (node.isTextual()) {
            String text = node.textValue();
            String fixed = repaired(text, damage);
            return fixed == text ? node : TextNode.valueOf(fixed);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, repairedTree(array.get(i), damage));
            }
            return array;
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = repairedTree(object.get(name), damage);
                String fixed = repaired(name, damage);
                if (fixed != name) {
                    object.remove(name);
                }
                object.set(fixed, child);
            }
            return object;
        }
        return node;
    }
}
