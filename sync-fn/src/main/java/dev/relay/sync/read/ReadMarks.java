package dev.relay.sync.read;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.ReadRequest;
import dev.relay.platform.dynamo.MemberStore;
import dev.relay.sync.kafka.ReceiptPublisher;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/conversations/{id}/read}: raises the caller's {@code readSeq}. It only ever
 * rises (a conditional update), so a lower or equal mark is accepted and changes nothing; only a
 * mark that rose is announced to the other members as a {@code receipt}.
 */
@ApplicationScoped
public class ReadMarks {

    private final MemberAccess access;
    private final MemberStore members;
    private final ReceiptPublisher receipts;

    public ReadMarks(MemberAccess access, MemberStore members, ReceiptPublisher receipts) {
        this.access = access;
        this.members = members;
        this.receipts = receipts;
    }

    /** @return true when the stored {@code readSeq} rose */
    public boolean markRead(String userId, String conversationId, ReadRequest request) {
        if (request == null || request.seq() == null || request.seq() < 0) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "seq must be a number >= 0");
        }
        long seq = request.seq();
        long lastSeq = access.lastSeqFor(userId, conversationId);
        if (seq > lastSeq) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "conversation " + conversationId + ": seq " + seq
                    + " is above its last seq " + lastSeq);
        }
        boolean rose = members.raiseReadSeq(conversationId, userId, seq);
        if (rose) {
            receipts.publish(conversationId, userId, seq);
        }
        return rose;
    }
}
