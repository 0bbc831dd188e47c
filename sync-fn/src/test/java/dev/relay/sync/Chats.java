package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.platform.dynamo.AppendOutcome;
import dev.relay.platform.dynamo.ConversationStore;
import dev.relay.platform.dynamo.MessageLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture that writes conversations and messages the way ingest-fn does: membership through
 * platform {@code ConversationStore}, messages only through platform {@code MessageLog.append}
 * (the one transaction that moves lastSeq n-1 to n and raises the sender's own watermarks).
 */
@ApplicationScoped
public class Chats {

    private final ConversationStore conversations;
    private final MessageLog log;

    public Chats(ConversationStore conversations, MessageLog log) {
        this.conversations = conversations;
        this.log = log;
    }

    /** A user id no other test uses. */
    public static String user(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String create(String creator, String... members) {
        return conversations.create(creator, "chat of " + creator, List.of(members)).conversationId();
    }

    public void remove(String conversationId, String userId) {
        assertThat(conversations.removeMember(conversationId, userId)).isEqualTo(ConversationStore.MembershipChange.CHANGED);
    }

    public Message send(String conversationId, String senderId, String body) {
        AppendOutcome outcome = log.append(conversationId, senderId, body, null, Qos.AT_LEAST_ONCE, null);
        assertThat(outcome).isInstanceOf(AppendOutcome.Committed.class);
        return ((AppendOutcome.Committed) outcome).message();
    }

    /**
     * Sends {@code perConversation} messages from {@code senderId} to each conversation, conversations
     * spread over {@code threads} writer threads (each conversation's messages in order).
     *
     * @return the committed messages by conversation, ascending by seq
     */
    public Map<String, List<Message>> sendMany(List<String> conversationIds, String senderId, int perConversation,
                                               int threads) throws Exception {
        Map<String, List<Message>> sent = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (String conversationId : conversationIds) {
                work.add(writers.submit(() -> {
                    List<Message> messages = new ArrayList<>(perConversation);
                    for (int i = 0; i < perConversation; i++) {
                        messages.add(send(conversationId, senderId, "m" + i + " of " + conversationId));
                    }
                    sent.put(conversationId, Collections.unmodifiableList(messages));
                }));
            }
            for (Future<?> future : work) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
        return sent;
    }

    /** Creates {@code count} conversations of {@code creator} with {@code members}, on {@code threads} threads. */
    public List<String> createMany(int count, int threads, String creator, String... members) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                created.add(writers.submit(() -> create(creator, members)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> future : created) {
                ids.add(future.get(2, TimeUnit.MINUTES));
            }
            return ids;
        } finally {
            writers.shutdownNow();
        }
    }
}
