package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.InboxEntry;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.SyncResponse;
import dev.relay.platform.dynamo.MessageItems;
import dev.relay.platform.dynamo.TableNames;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Log items an old or foreign writer stored, written straight into DynamoDB (bypassing ingest's
 * checks): none of them may fail anyone's sync, history or inbox. Each is served repaired and
 * marked in its place, so seq stays gap-free and every cursor moves past it.
 */
@QuarkusTest
class PoisonedItemTest {

    @Inject
    Chats chats;

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    TableNames tables;

    @Test
    void poisonedItemsAreServedMarkedAndEveryCursorMovesPastThem() {
        String alice = Chats.user("alice");
        String bob = Chats.user("bob");
        String chat = chats.create(alice, bob);
        for (int i = 1; i <= 9; i++) {
            chats.send(chat, alice, "m" + i);
        }
        poison(chat, 2, Map.of(Messages.META, AttributeValue.fromS(nested(998))));
        poison(chat, 3, Map.of(Messages.META, AttributeValue.fromS(nested(997))));
        poison(chat, 4, Map.of(Messages.META, AttributeValue.fromS(nested(1200))));
        poison(chat, 5, Map.of(Messages.META, AttributeValue.fromS("{\"not\": json")));
        poison(chat, 6, Map.of(Messages.META, AttributeValue.fromM(Map.of("a", AttributeValue.fromM(Map.of(
                "b", AttributeValue.fromS("a map, not JSON text")))))));
        poison(chat, 7, Map.of(Messages.BODY, AttributeValue.fromS("lone \uD800 surrogate"),
                Messages.META, AttributeValue.fromS("{\"k\":\"\\udc00\"}")));
        poison(chat, 8, Map.of(Messages.SENT_AT, AttributeValue.fromS("yesterday"), Messages.QOS, AttributeValue.fromS("?")));
        // Conversations whose newest message (the inbox's lastMessage) is poisoned.
        String lastDeep = chats.create(alice, bob);
        chats.send(lastDeep, bob, "fine");
        chats.send(lastDeep, bob, "poisoned");
        poison(lastDeep, 2, Map.of(Messages.META, AttributeValue.fromS(nested(997))));
        String lastDeeper = chats.create(alice, bob);
        chats.send(lastDeeper, bob, "poisoned");
        poison(lastDeeper, 1, Map.of(Messages.META, AttributeValue.fromS(nested(998))));
        double damagedBefore = Metrics.sample("relay_dynamodb_damaged_messages_total{reason=\"meta-too-deep\"}");

        for (String member : List.of(alice, bob)) {
            Api api = Api.as(member);
            SyncResponse all = api.sync(Map.of(), null);
            assertThat(all.hasMore()).isFalse();
            assertThat(all.cursors()).containsEntry(chat, 9L).containsEntry(lastDeep, 2L).containsEntry(lastDeeper, 1L);
            List<Message> log = all.messages().stream().filter(m -> m.conversationId().equals(chat)).toList();
            assertThat(log).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 9));
            assertMarked(log, chat);

            // One message per page: every poisoned item is a page of its own and the cursor still moves.
            Map<String, Long> cursors = new HashMap<>(Map.of(chat, 0L, lastDeep, 0L, lastDeeper, 0L));
            List<Long> paged = new ArrayList<>();
            for (int call = 0; call < 20; call++) {
                SyncResponse page = api.sync(cursors, 1);
                page.messages().stream().filter(m -> m.conversationId().equals(chat)).forEach(m -> paged.add(m.seq()));
                cursors.putAll(page.cursors());
                if (!page.hasMore()) {
                    break;
                }
            }
            assertThat(paged).containsExactlyElementsOf(seqs(1, 9));
            assertThat(cursors).containsEntry(chat, 9L).containsEntry(lastDeep, 2L).containsEntry(lastDeeper, 1L);

            HistoryPage history = api.history(chat, "");
            assertThat(history.messages()).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 9));
            assertMarked(history.messages(), chat);
            assertThat(api.history(chat, "?before=5&limit=2").messages()).extracting(Message::seq).containsExactly(3L, 4L);
            assertThat(api.history(chat, "?after=1&limit=2").messages()).extracting(Message::seq).containsExactly(2L, 3L);

            List<InboxEntry> inbox = api.inbox();
            assertThat(inbox).extracting(InboxEntry::conversationId).contains(chat, lastDeep, lastDeeper);
            assertThat(api.inboxEntry(lastDeep).lastMessage().meta().get(MessageItems.UNREADABLE).asText())
                    .isEqualTo("meta-too-deep");
            assertThat(api.inboxEntry(lastDeeper).lastMessage().meta().get(MessageItems.UNREADABLE).asText())
                    .isEqualTo("meta-too-deep");
            assertThat(api.inboxEntry(chat).lastMessage().seq()).isEqualTo(9);
        }
        assertThat(Metrics.sample("relay_dynamodb_damaged_messages_total{reason=\"meta-too-deep\"}"))
                .as("every unrenderable item is counted").isGreaterThan(damagedBefore);
    }

    private static void assertMarked(List<Message> log, String chat) {
        assertThat(absent(log.get(0).meta())).as("an intact message is untouched").isTrue();
        assertThat(log.get(0).body()).isEqualTo("m1");
        for (int seq : new int[] {2, 3, 4}) {
            assertThat(log.get(seq - 1).meta().get(MessageItems.UNREADABLE).asText()).isEqualTo("meta-too-deep");
            assertThat(log.get(seq - 1).body()).as("the rest of the message is served").isEqualTo("m" + seq);
        }
        assertThat(log.get(4).meta().get(MessageItems.UNREADABLE).asText()).isEqualTo("meta-not-json");
        assertThat(log.get(5).meta().get(MessageItems.UNREADABLE).asText()).isEqualTo("meta-not-text");
        Message surrogate = log.get(6);
        assertThat(surrogate.body()).startsWith("lone ").endsWith(" surrogate").doesNotContain("\uD800");
        assertThat(surrogate.body().chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
        assertThat(surrogate.meta().get("k").asText().chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
        Message undated = log.get(7);
        assertThat(undated.body()).isEqualTo("m8");
        assertThat(undated.meta().get(MessageItems.UNREADABLE).asText()).isEqualTo("sent-at");
        assertThat(absent(log.get(8).meta())).isTrue();
        assertThat(log).allSatisfy(m -> assertThat(m.conversationId()).isEqualTo(chat));
    }

    private static boolean absent(JsonNode meta) {
        return meta == null || meta.isNull();
    }

    /** Overwrites attributes of the stored message at {@code seq}, as a writer without ingest's checks would. */
    private void poison(String conversationId, long seq, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> key = Map.of(Messages.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                Messages.SEQ, AttributeValue.fromN(Long.toString(seq)));
        Map<String, AttributeValue> item = new HashMap<>(dynamoDb.getItem(b -> b.tableName(tables.of(Messages.NAME))
                .consistentRead(true).key(key)).item());
        assertThat(item).as("message %s/%d exists", conversationId, seq).isNotEmpty();
        item.putAll(attributes);
        dynamoDb.putItem(b -> b.tableName(tables.of(Messages.NAME)).item(item));
    }

    /** A JSON object nested {@code depth} levels deep: {"a":{"a":…{}…}}. */
    static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
