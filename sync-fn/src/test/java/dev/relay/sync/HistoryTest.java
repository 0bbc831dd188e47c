package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.Message;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/conversations/{id}/messages}: windows of one conversation's log, members only. */
@QuarkusTest
class HistoryTest {

    @Inject
    Chats chats;

    /** Written once for the class: the tests only read. */
    private static String member;
    private static String conversation;
    private static List<Message> sent;

    @BeforeEach
    void oneHundredTwentyMessages() throws Exception {
        if (conversation != null) {
            return;
        }
        member = Chats.user("member");
        String other = Chats.user("other");
        conversation = chats.create(other, member);
        sent = chats.sendMany(List.of(conversation), other, 120, 1).get(conversation);
    }

    @Test
    void withoutParametersTheNewestPageComesAscending() {
        HistoryPage page = Api.as(member).history(conversation, "");
        assertThat(page.messages()).extracting(Message::seq).containsExactlyElementsOf(seqs(71, 120));
        assertThat(page.messages()).extracting(Message::messageId)
                .containsExactlyElementsOf(sent.subList(70, 120).stream().map(Message::messageId).toList());
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void beforePagesBackwardToTheFirstMessage() {
        Api api = Api.as(member);
        HistoryPage middle = api.history(conversation, "?before=71&limit=50");
        assertThat(middle.messages()).extracting(Message::seq).containsExactlyElementsOf(seqs(21, 70));
        assertThat(middle.hasMore()).isTrue();
        HistoryPage oldest = api.history(conversation, "?before=21&limit=50");
        assertThat(oldest.messages()).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 20));
        assertThat(oldest.hasMore()).isFalse();
        assertThat(api.history(conversation, "?before=1").messages()).isEmpty();
        assertThat(api.history(conversation, "?before=100000&limit=2").messages()).extracting(Message::seq)
                .containsExactly(119L, 120L);
    }

    @Test
    void afterPagesForwardToTheLastMessage() {
        Api api = Api.as(member);
        HistoryPage first = api.history(conversation, "?after=0&limit=50");
        assertThat(first.messages()).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 50));
        assertThat(first.messages().getFirst().body()).isEqualTo(sent.getFirst().body());
        assertThat(first.hasMore()).isTrue();
        HistoryPage last = api.history(conversation, "?after=100&limit=50");
        assertThat(last.messages()).extracting(Message::seq).containsExactlyElementsOf(seqs(101, 120));
        assertThat(last.hasMore()).isFalse();
        HistoryPage none = api.history(conversation, "?after=120");
        assertThat(none.messages()).isEmpty();
        assertThat(none.hasMore()).isFalse();
    }

    @Test
    void badParametersAreMalformedRequests() {
        Api api = Api.as(member);
        for (String query : List.of("?before=0", "?after=-1", "?before=5&after=2", "?limit=0", "?limit=1001",
                "?limit=abc", "?after=x")) {
            api.request().when().get("/v1/conversations/" + conversation + "/messages" + query)
                    .then().statusCode(400).body("type", endsWith("/malformed-request"));
        }
        api.request().when().get("/v1/conversations/" + conversation + "/messages?after=121")
                .then().statusCode(400)
                .body("detail", containsString("conversation " + conversation + ": after 121 is above its last seq 120"));
        api.request().when().get("/v1/conversations/bad%20id!/messages")
                .then().statusCode(400).body("type", endsWith("/malformed-request"));
    }

    @Test
    void nonMembersAndUnknownConversationsAreNotFound() {
        Api stranger = Api.as(Chats.user("stranger"));
        stranger.request().when().get("/v1/conversations/" + conversation + "/messages?after=0")
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
        Api.as(member).request().when().get("/v1/conversations/nobody-made-this/messages")
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
