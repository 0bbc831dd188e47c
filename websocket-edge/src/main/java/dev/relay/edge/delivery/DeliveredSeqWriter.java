package dev.relay.edge.delivery;

import dev.relay.platform.dynamo.MemberStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Turns acks into {@code deliveredSeq} raises in DynamoDB. Acks are coalesced per member (only the
 * highest seq since the last flush is written) and written on a worker thread, never on the event
 * loop. The update is conditional and monotonic ({@link MemberStore#raiseDeliveredSeq}), so late or
 * repeated writes never lower it; a failed write is kept and retried on the next flush.
 */
@ApplicationScoped
public class DeliveredSeqWriter {

    private static final Logger LOG = Logger.getLogger(DeliveredSeqWriter.class);

    private final MemberStore members;
    private final Map<MemberKey, Long> pending = new ConcurrentHashMap<>();

    public DeliveredSeqWriter(MemberStore members) {
        this.members = members;
    }

    public void raise(String conversationId, String userId, long seq) {
        pending.merge(new MemberKey(conversationId, userId), seq, Math::max);
    }

    @Scheduled(every = "${relay.edge.ack.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        for (MemberKey key : pending.keySet()) {
            Long seq = pending.remove(key);
            if (seq == null) {
                continue;
            }
            try {
                members.raiseDeliveredSeq(key.conversationId(), key.userId(), seq);
            } catch (RuntimeException e) {
                pending.merge(key, seq, Math::max);
                LOG.warnf("deliveredSeq writes paused, %d pending: %s", pending.size(), e.getClass().getSimpleName());
                return;
            }
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    private record MemberKey(String conversationId, String userId) {
    }
}
