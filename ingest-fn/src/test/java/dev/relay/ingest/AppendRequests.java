package dev.relay.ingest;

import dev.relay.contract.wire.Qos;
import dev.relay.ingest.append.AppendRequest;
import dev.relay.ingest.append.IdempotencyClaim;

/** The append requests tests make: a body without meta, at-least-once or claiming a key. */
final class AppendRequests {

    private AppendRequests() {
    }

    static AppendRequest atLeastOnce(String conversationId, String senderId, String body) {
        return new AppendRequest(conversationId, senderId, body, null, Qos.AT_LEAST_ONCE, null);
    }

    static AppendRequest exactlyOnce(String conversationId, String senderId, String body, IdempotencyClaim claim) {
        return new AppendRequest(conversationId, senderId, body, null, Qos.EXACTLY_ONCE, claim);
    }
}
