package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.wire.InboxEntry;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.SyncResponse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Catch-up over {@code POST /v1/sync} against messages written by the ingest path, on real DynamoDB Local. */
@QuarkusTest
class CatchUpTest {

    @Inject
    Chats chats;

    @Test
    void offlineUserGetsFiveThousandMessagesInHundredConversationsExactlyOnceInOrder() throws Exception {
        String offline = Chats.user("offline");
        String writer = Chats.user("writer");
        List<String> conversations = chats.createMany(100, 4, writer, offline);
        Map<String, List<Message>> sent = chats.sendMany(conversations, writer, 50, 8);

        double catchUpsBefore = Metrics.sample("relay_sync_catchup_pages_count");
        double pagesBefore = Metrics.sample("relay_sync_catchup_pages_sum");
        Device phone = new Device(Api.as(offline));
        int calls = phone.syncUntilDone(null);

        assertThat(calls).as("5,000 messages at the default limit of 500").isBetween(10, 11);
        for (String conversationId : conversations) {
            List<String> expected = sent.get(conversationId).stream().map(Message::messageId).toList();
            assertThat(phone.received(conversationId)).extracting(Message::messageId).as(conversationId)
                    .containsExactlyElementsOf(expected);
            assertThat(phone.cursors()).containsEntry(conversationId, 50L);
        }
        assertThat(phone.received().values().stream().mapToInt(List::size).sum()).isEqualTo(5000);
        assertThat(Metrics.sample("relay_sync_catchup_pages_count") - catchUpsBefore).isEqualTo(1);
        assertThat(Metrics.sample("relay_sync_catchup_pages_sum") - pagesBefore).isEqualTo(calls);

        // The last answer's cursors, sent back, acknowledge everything: deliveredSeq rises, nothing is read.
        assertThat(phone.syncOnce(null).messages()).isEmpty();
        List<InboxEntry> inbox = Api.as(offline).inbox();
        assertThat(inbox).hasSize(100).allSatisfy(entry -> {
            assertThat(entry.lastSeq()).isEqualTo(50);
            assertThat(entry.deliveredSeq()).isEqualTo(50);
            assertThat(entry.readSeq()).isZero();
            assertThat(entry.unread()).isEqualTo(50);
        });
    }

    @Test
    void messagesCommittedWhileAClientPagesAreNotSkipped() throws Exception {
        String reader = Chats.user("reader");
        String writer = Chats.user("writer");
        List<String> conversations = chats.createMany(10, 4, writer, reader);
        chats.sendMany(conversations, writer, 30, 4);

        CountDownLatch writing = new CountDownLatch(10);
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicInteger callsWhileWriting = new AtomicInteger();
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> concurrentWriter = background.submit(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    chats.send(conversations.get(i % conversations.size()), writer, "late " + i);
                    writing.countDown();
                }
            } finally {
                writerDone.set(true);
            }
        });
        Device device = new Device(Api.as(reader));
        try {
            assertThat(writing.await(60, TimeUnit.SECONDS)).isTrue();
            for (int call = 0; call < 2_000; call++) {
                boolean writerFinishedBefore = writerDone.get();
                SyncResponse answer = device.syncOnce(25);
                if (!writerFinishedBefore) {
                    callsWhileWriting.incrementAndGet();
                }
                if (writerFinishedBefore && !answer.hasMore()) {
                    break;
                }
            }
            concurrentWriter.get(1, TimeUnit.MINUTES);
        } finally {
            background.shutdownNow();
        }

        assertThat(callsWhileWriting.get()).as("sync calls made while the writer was committing").isPositive();
        for (String conversationId : conversations) {
            List<Message> got = device.received(conversationId);
            assertThat(got).as(conversationId).hasSize(50);
            assertThat(got).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 50));
        }
    }

    @Test
    void twoDevicesOfOneUserSyncIndependentlyAndBothGetEverything() throws Exception {
        String owner = Chats.user("owner");
        String friend = Chats.user("friend");
        List<String> conversations = chats.createMany(3, 3, friend, owner);
        chats.sendMany(conversations, friend, 20, 3);

        Device phone = new Device(Api.as(owner));
        Device laptop = new Device(Api.as(owner));
        for (int i = 0; i < 3; i++) {
            assertThat(phone.syncOnce(7).hasMore()).isTrue();
        }
        chats.sendMany(conversations, friend, 10, 3);
        laptop.syncUntilDone(7);
        phone.syncUntilDone(7);

        for (String conversationId : conversations) {
            assertThat(phone.received(conversationId)).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 30));
            assertThat(laptop.received(conversationId)).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 30));
            assertThat(laptop.received(conversationId)).extracting(Message::messageId)
                    .containsExactlyElementsOf(phone.received(conversationId).stream().map(Message::messageId).toList());
        }
        assertThat(phone.cursors()).isEqualTo(laptop.cursors());
    }

    @Test
    void onlyConversationsAboveTheCursorAreRead() throws Exception {
        String member = Chats.user("member");
        String other = Chats.user("other");
        List<String> conversations = chats.createMany(250, 8, other, member);
        List<String> busy = conversations.subList(0, 3);
        chats.sendMany(busy, other, 4, 3);
        String notMine = chats.create(other);
        chats.send(notMine, other, "not for member");

        Device device = new Device(Api.as(member));
        double readBefore = Metrics.sample("relay_sync_conversations_read_sum");
        double changedBefore = Metrics.sample("relay_sync_conversations_changed_sum");
        SyncResponse first = device.syncOnce(null);
        assertThat(first.hasMore()).isFalse();
        assertThat(first.messages()).hasSize(12).extracting(Message::conversationId).containsOnlyElementsOf(busy);
        assertThat(first.cursors()).as("every conversation of the member, the new ones at 0")
                .hasSize(250).doesNotContainKey(notMine);
        assertThat(Metrics.sample("relay_sync_conversations_read_sum") - readBefore).isEqualTo(3);
        assertThat(Metrics.sample("relay_sync_conversations_changed_sum") - changedBefore).isEqualTo(3);

        chats.send(busy.get(1), other, "one more");
        readBefore = Metrics.sample("relay_sync_conversations_read_sum");
        SyncResponse second = device.syncOnce(null);
        assertThat(second.messages()).singleElement().satisfies(m -> {
            assertThat(m.conversationId()).isEqualTo(busy.get(1));
            assertThat(m.seq()).isEqualTo(5);
            assertThat(m.body()).isEqualTo("one more");
        });
        assertThat(Metrics.sample("relay_sync_conversations_read_sum") - readBefore).isEqualTo(1);
    }

    @Test
    void aPageStopsAtTheLimitAndResumesWhereItStopped() throws Exception {
        String member = Chats.user("member");
        String other = Chats.user("other");
        List<String> conversations = chats.createMany(2, 2, other, member);
        chats.sendMany(conversations, other, 5, 2);

        Device device = new Device(Api.as(member));
        SyncResponse first = device.syncOnce(3);
        assertThat(first.messages()).hasSize(3);
        assertThat(first.hasMore()).isTrue();
        assertThat(device.syncUntilDone(3)).isEqualTo(3);
        conversations.forEach(id -> assertThat(device.received(id)).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 5)));
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            seqs.add(seq);
        }
        return seqs;
    }
}
