package dev.relay.sync.read;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.Ids;
import dev.relay.platform.dynamo.MemberStore;
import dev.relay.platform.dynamo.LogStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The gate of every per-conversation read: the caller must be a member now (strongly consistent),
 * and a conversation they are not in answers exactly like one that does not exist (404).
 */
@ApplicationScoped
public class MemberAccess {

    private final MemberStore members;
    private final LogStore log;

    public MemberAccess(MemberStore members, LogStore log) {
        this.members = members;
        this.log = log;
    }

    /**
     * The conversation's committed {@code lastSeq} when {@code userId} is a member of it.
     * Cost: two consistent GetItems (membership, then the conversation), 1 RCU each.
     */
    public long lastSeqFor(String userId, String conversationId) {
        Ids.requireConversationId(conversationId);
        if (!members.isMember(conversationId, userId)) {
            throw notFound();
        }
        Long lastSeq = log.lastSeq(conversationId);
        if (lastSeq == null) {
            throw notFound();
        }
        return lastSeq;
    }

    private static RelayProblem notFound() {
        return new RelayProblem(ProblemType.CONVERSATION_NOT_FOUND, "no such conversation");
    }
}
