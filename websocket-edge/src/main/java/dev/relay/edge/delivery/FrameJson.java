package dev.relay.edge.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.relay.contract.frame.ClientFrame;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.Ids;
import dev.relay.contract.wire.MembershipEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;

/** JSON of the stream's frames and of edge commands, with the app's Jackson settings. */
@ApplicationScoped
public class FrameJson {

    private static final ClientFrameRead MALFORMED = new ClientFrameRead.Bad("malformed-frame",
            "expected one JSON object with a known \"type\" (ack, ping)");
    private static final ClientFrameRead BAD_ACK = new ClientFrameRead.Bad("malformed-ack",
            "ack needs a string conversationId and an integer seq >= 1");

    private final ObjectWriter serverFrames;
    private final ObjectWriter commands;
    private final ObjectReader clientTrees;
    private final ObjectReader commandReader;
    private final ObjectReader membershipEvents;

    public FrameJson(ObjectMapper mapper) {
        this.serverFrames = mapper.writerFor(ServerFrame.class);
        this.commands = mapper.writerFor(EdgeCommand.class);
        this.clientTrees = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.commandReader = mapper.readerFor(EdgeCommand.class);
        this.membershipEvents = mapper.readerFor(MembershipEvent.class);
    }

    public String write(ServerFrame frame) {
        try {
            return serverFrames.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("server frames always serialize", e);
        }
    }

    public String write(EdgeCommand command) {
        try {
            return commands.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("edge commands always serialize", e);
        }
    }

    /**
     * Reads a client frame strictly: one JSON object, nothing after it, a known {@code type}, and
     * fields of their own JSON types (a number is never read from a string, nor a string from a
     * number, nor an integer from a fraction). Anything else, whatever its shape, is {@link ClientFrameRead.Bad};
     * this never throws.
     */
    public ClientFrameRead readClientFrame(String text) {
        JsonNode tree;
        try {
            tree = clientTrees.readTree(text);
        } catch (IOException | RuntimeException e) {
            return MALFORMED;
        }
        if (tree == null || !tree.isObject() || !tree.path("type").isTextual()) {
            return MALFORMED;
        }
        return switch (tree.get("type").textValue()) {
            case "ping" -> new ClientFrameRead.Valid(new ClientFrame.Ping());
            case "ack" -> ack(tree);
            default -> MALFORMED;
        };
    }

    private static ClientFrameRead ack(JsonNode tree) {
        JsonNode conversationId = tree.get("conversationId");
        JsonNode seq = tree.get("seq");
        if (conversationId == null || !conversationId.isTextual() || !Ids.isConversationId(conversationId.textValue())
                || seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 1) {
            return BAD_ACK;
        }
        return new ClientFrameRead.Valid(new ClientFrame.Ack(conversationId.textValue(), seq.longValue()));
    }

    /** A membership announcement, or empty when it is not one (e.g. a bare conversation id). */
    public Optional<MembershipEvent> readMembershipEvent(String text) {
        try {
            return Optional.ofNullable(membershipEvents.readValue(text));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @throws JsonProcessingException when the text is not an edge command */
    public EdgeCommand readCommand(String text) throws JsonProcessingException {
        return commandReader.readValue(text);
    }
}
