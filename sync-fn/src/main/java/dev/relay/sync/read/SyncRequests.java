package dev.relay.sync.read;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.Ids;
import dev.relay.contract.wire.SyncRequest;
import dev.relay.sync.config.SyncConfig;
import dev.relay.sync.dynamo.ConversationHead;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What makes a {@code POST /v1/sync} body acceptable; every violation is 400 malformed-request. */
final class SyncRequests {

    private static final int NAMED_AT_MOST = 5;

    private SyncRequests() {
    }

    /** The cursors by conversation id: ids well-formed, values present and not negative. */
    static Map<String, Long> cursors(SyncRequest request) {
        if (request == null || request.cursors() == null) {
            return Map.of();
        }
        Map<String, Long> cursors = new HashMap<>();
        request.cursors().forEach((conversationId, cursor) -> {
            Ids.requireConversationId(conversationId);
            if (cursor == null || cursor < 0) {
                throw new RelayProblem(ProblemType.MALFORMED_REQUEST,
                        "cursor of conversation " + conversationId + " must be a seq >= 0, was " + cursor);
            }
            cursors.put(conversationId, cursor);
        });
        return cursors;
    }

    static int limit(SyncRequest request, SyncConfig config) {
        return Limits.of(request == null ? null : request.limit(), config.defaultLimit(), config.maxLimit());
    }

    /**
     * A cursor above a conversation's committed {@code lastSeq} cannot come from this deployment
     * (corrupt, or from another environment). Answering as if all were well would leave the client
     * waiting for seqs that will be numbered again, so it is refused naming the conversations.
     */
    static void requireCursorsWithin(List<ConversationHead> heads, Map<String, Long> cursors) {
        List<String> wrong = heads.stream()
                .filter(head -> cursors.getOrDefault(head.conversationId(), 0L) > head.lastSeq())
                .map(head -> "conversation " + head.conversationId() + ": cursor "
                        + cursors.get(head.conversationId()) + " is above its last seq " + head.lastSeq())
                .sorted()
                .toList();
        if (!wrong.isEmpty()) {
            String named = String.join("; ", wrong.subList(0, Math.min(NAMED_AT_MOST, wrong.size())));
            String more = wrong.size() > NAMED_AT_MOST ? " (and " + (wrong.size() - NAMED_AT_MOST) + " more)" : "";
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, named + more
                    + "; drop the local state of these conversations and sync them from 0");
        }
    }
}
