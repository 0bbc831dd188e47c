package dev.relay.sync.read;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.Ids;
import dev.relay.sync.dynamo.ConversationHead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque inbox cursor: the position (activity, conversation id) of the last entry of a page in
 * the most-recently-active-first order. {@link #format} and {@link #parse} are inverses; the text
 * is versioned base64url so its inside can change without breaking clients holding one.
 */
record InboxCursor(Instant activity, String conversationId) {

    private static final String VERSION = "v1";

    static InboxCursor at(ConversationHead head) {
        return new InboxCursor(head.lastActivityAt(), head.conversationId());
    }

    String format() {
        String plain = VERSION + "." + activity.getEpochSecond() + "." + activity.getNano() + "." + conversationId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static InboxCursor parse(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\.", 4);
            if (parts.length == 4 && VERSION.equals(parts[0]) && Ids.isConversationId(parts[3])) {
                return new InboxCursor(Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                        parts[3]);
            }
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException unreadable) {
            // falls through to the same answer as any other text this server never issued
        }
        throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "cursor is not one this server issued");
    }

    /** True when {@code head} comes after this position in the inbox order. */
    boolean precedes(ConversationHead head) {
        return ConversationHead.MOST_RECENT_FIRST.compare(
                new ConversationHead(conversationId, null, 0, activity), head) < 0;
    }
}
