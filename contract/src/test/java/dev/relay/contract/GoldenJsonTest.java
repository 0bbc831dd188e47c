package dev.relay.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contract.frame.ClientFrame;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.problem.Problem;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.wire.Conversation;
import dev.relay.contract.wire.CreateConversationRequest;
import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.InboxEntry;
import dev.relay.contract.wire.InboxPage;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.MembershipEvent;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SendRequest;
import dev.relay.contract.wire.SendResult;
import dev.relay.contract.wire.SignalAccepted;
import dev.relay.contract.wire.SyncRequest;
import dev.relay.contract.wire.SyncResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each body and frame of API.md serializes to exactly its documented JSON and parses back equal. */
class GoldenJsonTest {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final Instant SENT_AT = Instant.parse("2026-11-25T10:15:30.123Z");

    private static ObjectNode meta() {
        return JsonNodeFactory.instance.objectNode().put("any", "small json object");
    }

    private static Message message() {
        return new Message("m-01", "c1", 42, "alice", "hi", meta(), SENT_AT, Qos.EXACTLY_ONCE);
    }

    private static final String MESSAGE_JSON = """
            {"messageId":"m-01","conversationId":"c1","seq":42,"senderId":"alice","body":"hi",\
            "meta":{"any":"small json object"},"sentAt":"2026-11-25T10:15:30.123Z","qos":"exactly-once"}""";

    static Stream<Arguments> golden() {
        Map<String, Long> cursors = new LinkedHashMap<>();
        cursors.put("c1", 57L);
        cursors.put("c2", 7L);
        return Stream.of(
                Arguments.of(Message.class, message(), MESSAGE_JSON),
                Arguments.of(SendRequest.class, new SendRequest("hi", Qos.EXACTLY_ONCE, meta()),
                        """
                        {"body":"hi","qos":"exactly-once","meta":{"any":"small json object"}}"""),
                Arguments.of(SendResult.class, SendResult.of(message()),
                        """
                        {"messageId":"m-01","conversationId":"c1","seq":42,"senderId":"alice",\
                        "sentAt":"2026-11-25T10:15:30.123Z","qos":"exactly-once"}"""),
                Arguments.of(SignalAccepted.class, SignalAccepted.of("c1"),
                        """
                        {"conversationId":"c1","qos":"at-most-once"}"""),
                Arguments.of(CreateConversationRequest.class,
                        new CreateConversationRequest(List.of("bob", "carol"), "Trip"),
                        """
                        {"members":["bob","carol"],"title":"Trip"}"""),
                Arguments.of(Conversation.class,
                        new Conversation("c1", "Trip", List.of("alice", "bob", "carol"), 0, SENT_AT),
                        """
                        {"conversationId":"c1","title":"Trip","members":["alice","bob","carol"],\
                        "lastSeq":0,"createdAt":"2026-11-25T10:15:30.123Z"}"""),
                Arguments.of(SyncRequest.class, new SyncRequest(cursors, 500),
                        """
                        {"cursors":{"c1":57,"c2":7},"limit":500}"""),
                Arguments.of(SyncResponse.class, new SyncResponse(List.of(message()), cursors, true),
                        "{\"messages\":[" + MESSAGE_JSON + "],\"cursors\":{\"c1\":57,\"c2\":7},\"hasMore\":true}"),
                Arguments.of(HistoryPage.class, new HistoryPage(List.of(message()), false),
                        "{\"messages\":[" + MESSAGE_JSON + "],\"hasMore\":false}"),
                Arguments.of(InboxPage.class,
                        new InboxPage(List.of(new InboxEntry("c1", "Trip", 42, 41, 40, 2, message())), "abc"),
                        "{\"conversations\":[{\"conversationId\":\"c1\",\"title\":\"Trip\",\"lastSeq\":42,"
                                + "\"deliveredSeq\":41,\"readSeq\":40,\"unread\":2,\"lastMessage\":" + MESSAGE_JSON
                                + "}],\"cursor\":\"abc\"}"),
                Arguments.of(Problem.class,
                        Problem.of(ProblemType.CONVERSATION_NOT_FOUND, "no such conversation", "/v1/conversations/c9"),
                        """
                        {"type":"https://relay.dev/problems/conversation-not-found","title":"Conversation not found",\
                        "status":404,"detail":"no such conversation","instance":"/v1/conversations/c9"}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Hello("k1", "edge-a", 25),
                        """
                        {"type":"hello","connectionId":"k1","node":"edge-a","heartbeatSeconds":25}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.MessagePush(message()),
                        "{\"type\":\"message\",\"message\":" + MESSAGE_JSON + "}"),
                Arguments.of(ServerFrame.class,
                        new ServerFrame.Signal("c1", "alice", "typing", meta(), SENT_AT),
                        """
                        {"type":"signal","conversationId":"c1","senderId":"alice","body":"typing",\
                        "meta":{"any":"small json object"},"sentAt":"2026-11-25T10:15:30.123Z"}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Receipt("c1", "bob", 57),
                        """
                        {"type":"receipt","conversationId":"c1","userId":"bob","readSeq":57}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Membership("c1", "dave", "added"),
                        """
                        {"type":"membership","conversationId":"c1","userId":"dave","change":"added"}"""),
                Arguments.of(MembershipEvent.class, new MembershipEvent("c1", "bob", "removed"),
                        """
                        {"conversationId":"c1","userId":"bob","change":"removed"}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Resync("c1", "gap"),
                        """
                        {"type":"resync","conversationId":"c1","reason":"gap"}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Resync(null, "overflow"),
                        """
                        {"type":"resync","reason":"overflow"}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Draining(1500),
                        """
                        {"type":"draining","reconnectAfterMs":1500}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Pong(), """
                        {"type":"pong"}"""),
                Arguments.of(ServerFrame.class, new ServerFrame.Error("bad-frame", "unknown type"),
                        """
                        {"type":"error","code":"bad-frame","detail":"unknown type"}"""),
                Arguments.of(ClientFrame.class, new ClientFrame.Ack("c1", 57), """
                        {"type":"ack","conversationId":"c1","seq":57}"""),
                Arguments.of(ClientFrame.class, new ClientFrame.Ping(), """
                        {"type":"ping"}"""),
                Arguments.of(MessageEnvelope.class, MessageEnvelope.of(message()),
                        "{\"version\":1,\"message\":" + MESSAGE_JSON + "}"),
                Arguments.of(EdgeCommand.class,
                        new EdgeCommand.Deliver(List.of("bob"), new ServerFrame.Receipt("c1", "bob", 3)),
                        """
                        {"type":"deliver","recipients":["bob"],"frame":{"type":"receipt","conversationId":"c1",\
                        "userId":"bob","readSeq":3}}"""),
                Arguments.of(EdgeCommand.class, new EdgeCommand.Fence("bob", "phone", 9),
                        """
                        {"type":"fence","userId":"bob","device":"phone","epoch":9}"""));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("golden")
    void serializesToTheDocumentedJsonAndParsesBack(Class<?> type, Object value, String json) throws Exception {
        assertThat(JSON.writerFor(type).writeValueAsString(value)).isEqualTo(json);
        assertThat(JSON.readValue(json, type)).isEqualTo(value);
    }
}
