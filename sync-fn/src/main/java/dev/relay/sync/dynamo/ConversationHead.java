package dev.relay.sync.dynamo;

import java.time.Instant;
import java.util.Comparator;

/**
 * What a reader needs of a conversation item: its committed {@code lastSeq} and when it was last
 * active. Read strongly consistent, so every seq up to {@code lastSeq} is readable in the log.
 */
public record ConversationHead(String conversationId, String title, long lastSeq, Instant lastActivityAt) {

    /** Most recently active first; ties by conversation id, so the order is total and stable. */
    public static final Comparator<ConversationHead> MOST_RECENT_FIRST =
            Comparator.comparing(ConversationHead::lastActivityAt, Comparator.reverseOrder())
                    .thenComparing(ConversationHead::conversationId);
}
