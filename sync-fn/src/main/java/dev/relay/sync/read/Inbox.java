package dev.relay.sync.read;

import dev.relay.contract.wire.InboxEntry;
import dev.relay.contract.wire.InboxPage;
import dev.relay.contract.wire.Message;
import dev.relay.platform.dynamo.Membership;
import dev.relay.platform.dynamo.MembershipStore;
import dev.relay.sync.config.SyncConfig;
import dev.relay.sync.dynamo.ConversationHead;
import dev.relay.sync.dynamo.ConversationHeadStore;
import dev.relay.platform.dynamo.LogStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * {@code GET /v1/conversations}: the caller's conversations, most recently active first. Unread
 * counts are O(1) per conversation, {@code lastSeq - readSeq} from watermarks, never a count of
 * messages. The order needs every conversation's activity, so the heads of all of them are read
 * (one consistent batch read per 100); the page's watermarks and last messages are read by key.
 */
@ApplicationScoped
public class Inbox {

    private final MembershipStore memberships;
    private final ConversationHeadStore heads;
    private final LogStore log;
    private final SyncConfig config;

    public Inbox(MembershipStore memberships, ConversationHeadStore heads, LogStore log, SyncConfig config) {
        this.memberships = memberships;
        this.heads = heads;
        this.log = log;
        this.config = config;
    }

    /**
     * A page may hold fewer than {@code limit} entries (a membership removed a moment ago is left
     * out); only a null cursor means the end.
     */
    public InboxPage page(String userId, String cursor, Integer limit) {
        int size = Limits.of(limit, config.inboxDefaultLimit(), config.inboxMaxLimit());
        InboxCursor after = cursor == null || cursor.isEmpty() ? null : InboxCursor.parse(cursor);

        List<String> ids = memberships.conversationsOf(userId).stream().map(Membership::conversationId).toList();
        List<ConversationHead> ordered = heads.heads(ids).values().stream()
                .filter(head -> after == null || after.precedes(head))
                .sorted(ConversationHead.MOST_RECENT_FIRST)
                .toList();
        List<ConversationHead> window = ordered.subList(0, Math.min(size, ordered.size()));
        String next = ordered.size() > size ? InboxCursor.at(window.getLast()).format() : null;

        Map<String, Long> lastSeqs = new HashMap<>();
        window.stream().filter(head -> head.lastSeq() > 0).forEach(head -> lastSeqs.put(head.conversationId(), head.lastSeq()));
        Map<String, Membership> watermarks;
        Map<String, Message> lastMessages;
        try (Fork fork = new Fork(2)) {
            Future<Map<String, Membership>> reading = fork.submit(() ->
                    memberships.memberships(userId, window.stream().map(ConversationHead::conversationId).toList()));
            Future<Map<String, Message>> last = fork.submit(() -> log.at(lastSeqs));
            watermarks = Fork.join(reading);
            lastMessages = Fork.join(last);
        }

        List<InboxEntry> entries = new ArrayList<>(window.size());
        for (ConversationHead head : window) {
            Membership membership = watermarks.get(head.conversationId());
            if (membership == null) {
                continue;
            }
            entries.add(new InboxEntry(head.conversationId(), head.title(), head.lastSeq(),
                    membership.deliveredSeq(), membership.readSeq(),
                    Math.max(0, head.lastSeq() - membership.readSeq()),
                    lastMessages.get(head.conversationId())));
        }
        return new InboxPage(entries, next);
    }
}
