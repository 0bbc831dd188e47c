package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import dev.relay.contract.wire.InboxEntry;
import dev.relay.contract.wire.InboxPage;
import dev.relay.contract.wire.Message;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/conversations}: most recently active first, unread counts from watermarks. */
@QuarkusTest
class InboxTest {

    @Inject
    Chats chats;

    @Test
    void conversationsComeMostRecentlyActiveFirstAcrossPages() {
        String me = Chats.user("me");
        String other = Chats.user("other");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(chats.create(other, me));
        }
        // Activity order, oldest first: 3, 0, 4, 2, 1; each send lands in a later millisecond.
        List<String> activity = List.of(ids.get(3), ids.get(0), ids.get(4), ids.get(2), ids.get(1));
        long previous = 0;
        for (String id : activity) {
            previous = sendInALaterMillisecond(id, other, previous);
        }
        String quiet = chats.create(other, me);

        Api api = Api.as(me);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            InboxPage page = api.inboxPage(cursor, 2);
            assertThat(page.conversations()).hasSizeLessThanOrEqualTo(2);
            page.conversations().forEach(entry -> seen.add(entry.conversationId()));
            cursor = page.cursor();
            pages++;
        } while (cursor != null && pages < 10);

        // Creating a conversation is activity, as in Slack or WhatsApp: a new, quiet chat comes first.
        List<String> expected = new ArrayList<>();
        expected.add(quiet);
        expected.addAll(activity.reversed());
        assertThat(seen).as("newest activity first; a new conversation counts as active").containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(3);
        assertThat(api.inboxEntry(quiet)).satisfies(entry -> {
            assertThat(entry.lastSeq()).isZero();
            assertThat(entry.unread()).isZero();
            assertThat(entry.lastMessage()).isNull();
            assertThat(entry.title()).isEqualTo("chat of " + other);
        });
    }

    @Test
    void unreadFollowsSendsByOthersOwnSendsAndReadMarks() {
        String me = Chats.user("me");
        String bob = Chats.user("bob");
        String conversation = chats.create(bob, me);
        Api api = Api.as(me);

        for (int i = 1; i <= 3; i++) {
            chats.send(conversation, bob, "from bob " + i);
        }
        InboxEntry afterBob = api.inboxEntry(conversation);
        assertThat(afterBob.lastSeq()).isEqualTo(3);
        assertThat(afterBob.unread()).isEqualTo(3);
        assertThat(afterBob.lastMessage()).extracting(Message::seq, Message::senderId, Message::body)
                .containsExactly(3L, bob, "from bob 3");

        chats.send(conversation, me, "mine");
        InboxEntry afterMine = api.inboxEntry(conversation);
        assertThat(afterMine.lastSeq()).isEqualTo(4);
        assertThat(afterMine.readSeq()).as("sending reads everything up to one's own message").isEqualTo(4);
        assertThat(afterMine.unread()).isZero();

        chats.send(conversation, bob, "reply 1");
        chats.send(conversation, bob, "reply 2");
        assertThat(api.inboxEntry(conversation).unread()).isEqualTo(2);

        api.markRead(conversation, 5);
        assertThat(api.inboxEntry(conversation)).extracting(InboxEntry::readSeq, InboxEntry::unread).containsExactly(5L, 1L);

        api.markRead(conversation, 3);
        assertThat(api.inboxEntry(conversation)).as("a lower read mark is ignored")
                .extracting(InboxEntry::readSeq, InboxEntry::unread).containsExactly(5L, 1L);

        api.markRead(conversation, 6);
        InboxEntry allRead = api.inboxEntry(conversation);
        assertThat(allRead).extracting(InboxEntry::readSeq, InboxEntry::unread).containsExactly(6L, 0L);
        assertThat(allRead.deliveredSeq()).as("reading implies delivery").isEqualTo(6);

        assertThat(Api.as(bob).inboxEntry(conversation)).as("bob's own sends and nothing else")
                .extracting(InboxEntry::readSeq, InboxEntry::unread).containsExactly(6L, 0L);
    }

    @Test
    void removalTakesTheConversationOutOfTheInboxAndLeavesOthersCountsAlone() {
        String stays = Chats.user("stays");
        String leaves = Chats.user("leaves");
        String sender = Chats.user("sender");
        String conversation = chats.create(sender, stays, leaves);
        chats.send(conversation, sender, "one");
        chats.send(conversation, sender, "two");
        assertThat(Api.as(leaves).inboxEntry(conversation).unread()).isEqualTo(2);

        chats.remove(conversation, leaves);
        chats.send(conversation, sender, "three");

        assertThat(Api.as(leaves).inbox()).extracting(InboxEntry::conversationId).doesNotContain(conversation);
        assertThat(Api.as(stays).inboxEntry(conversation).unread()).isEqualTo(3);
    }

    @Test
    void badCursorsAndLimitsAreMalformedRequests() {
        Api api = Api.as(Chats.user("me"));
        for (String query : List.of("?cursor=not-a-cursor", "?cursor=djEuMS4yLmJhZCBpZCE", "?limit=0", "?limit=201",
                "?limit=many")) {
            api.request().when().get("/v1/conversations" + query)
                    .then().statusCode(400).body("type", endsWith("/malformed-request"));
        }
    }

    private long sendInALaterMillisecond(String conversationId, String sender, long afterMillis) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            Message message = chats.send(conversationId, sender, "activity");
            if (message.sentAt().toEpochMilli() > afterMillis) {
                return message.sentAt().toEpochMilli();
            }
        }
        throw new AssertionError("the clock did not move");
    }
}
