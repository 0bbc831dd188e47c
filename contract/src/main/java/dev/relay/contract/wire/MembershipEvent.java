package dev.relay.contract.wire;

/**
 * One membership change, as ingest-fn announces it on {@code RedisKeys.MEMBERSHIP_CHANGES} (JSON)
 * once the change is stored and before it answers 204. Readers: fanout drops the conversation's
 * cached members; every edge node follows the change for the conversations and users it holds.
 * Best effort (pub/sub keeps nothing): a missed one is bounded by fanout's cache TTL and, on the
 * edge, by the user's next connection.
 *
 * @param change {@code added} or {@code removed} ({@link dev.relay.contract.frame.ServerFrame.Membership})
 */
public record MembershipEvent(String conversationId, String userId, String change) {

    public boolean added() {
        return dev.relay.contract.frame.ServerFrame.Membership.ADDED.equals(change);
    }

    public boolean removed() {
        return dev.relay.contract.frame.ServerFrame.Membership.REMOVED.equals(change);
    }
}
