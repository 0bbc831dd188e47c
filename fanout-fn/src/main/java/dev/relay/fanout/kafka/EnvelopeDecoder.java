package dev.relay.fanout.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.Ids;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SignalEnvelope;
import dev.relay.platform.dynamo.MessageItems;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * Reads record values of {@code messages} and {@code signals}. The version is checked before the
 * body is bound, so a future envelope is reported as an unknown version rather than as bad JSON.
 * Anything that cannot be routed as it is throws {@link PoisonRecordException}; reasons never quote
 * the content.
 */
@ApplicationScoped
public class EnvelopeDecoder {

    /**
     * Deepest record value decoded: an envelope's own two levels around meta as deep as any reader
     * renders ({@link MessageItems#MAX_META_DEPTH}). So every record that decodes can also be written
     * into the edge's frames (Jackson writes at most 1,000 levels); a deeper one is poison.
     */
    static final int MAX_DEPTH = MessageItems.MAX_META_DEPTH + 2;

    private final ObjectMapper json = depthLimited(RelayJson.newMapper());

    private static ObjectMapper depthLimited(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        return mapper;
    }

    /** @param key the record key, which must be the message's conversation (it decides the partition) */
    public Message message(String key, byte[] value) {
        JsonNode tree = envelope(value, MessageEnvelope.CURRENT_VERSION);
        MessageEnvelope envelope = bind(tree, MessageEnvelope.class);
        Message message = envelope.message();
        if (message == null || !Ids.isConversationId(message.conversationId()) || message.seq() < 1
                || message.messageId() == null) {
            throw new PoisonRecordException("incomplete message (conversationId, seq and messageId are required)");
        }
        requireKey(key, message.conversationId());
        return message;
    }

    /** A signal envelope whose frame is a {@code signal} or {@code receipt} of the envelope's conversation. */
    public SignalEnvelope signal(String key, byte[] value) {
        JsonNode tree = envelope(value, SignalEnvelope.CURRENT_VERSION);
        SignalEnvelope envelope = bind(tree, SignalEnvelope.class);
        if (!Ids.isConversationId(envelope.conversationId()) || envelope.frame() == null) {
            throw new PoisonRecordException("incomplete signal (conversationId and frame are required)");
        }
        String frameConversation = switch (envelope.frame()) {
            case ServerFrame.Signal signal -> signal.conversationId();
            case ServerFrame.Receipt receipt -> receipt.conversationId();
            default -> throw new PoisonRecordException("a signal envelope carries only signal or receipt frames");
        };
        if (!envelope.conversationId().equals(frameConversation)) {
            throw new PoisonRecordException("frame belongs to another conversation than its envelope");
        }
        requireKey(key, envelope.conversationId());
        return envelope;
    }

    private JsonNode envelope(byte[] value, int knownVersion) {
        if (value == null || value.length == 0) {
            throw new PoisonRecordException("empty record value");
        }
        JsonNode tree;
        try {
            tree = json.readTree(value);
        } catch (StreamConstraintsException e) {
            throw new PoisonRecordException("nested deeper than " + MAX_DEPTH + " levels or over another JSON limit");
        } catch (IOException e) {
            throw new PoisonRecordException("unparsable JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new PoisonRecordException("record value is not a JSON object");
        }
        JsonNode version = tree.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw new PoisonRecordException("envelope has no version");
        }
        if (version.intValue() != knownVersion) {
            throw new PoisonRecordException("unknown envelope version " + version.intValue());
        }
        return tree;
    }

    private <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return json.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PoisonRecordException("envelope does not match " + type.getSimpleName()
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void requireKey(String key, String conversationId) {
        if (!conversationId.equals(key)) {
            throw new PoisonRecordException("record key is not the conversation id");
        }
    }
}
