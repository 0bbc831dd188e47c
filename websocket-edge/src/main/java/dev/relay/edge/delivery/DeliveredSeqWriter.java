package dev.relay.edge.delivery;

import dev.relay.edge.config.EdgeConfig;
import dev.relay.platform.dynamo.MemberStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
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
    private final FixedDelayTimers timers;
    private final Duration flushInterval;

    public DeliveredSeqWriter(MemberStore members, FixedDelayTimers timers, EdgeConfig config) {
        this.members = members;
        this.timers = timers;
        this.flushInterval = config.ack().flushInterval();
    }

    void onStart(@Observes StartupEvent event) {
        timers.every(flushInterval, "deliveredSeq flush", this::flush);
    }

    public void raise(String conversationId, String userId, long seq) {
        pending.merge(new MemberKey(conversationId, userId), seq, Math::max);
    }

    /** Writes what is pending; called by the timer, and by the drain one last time. */
    public synchronized void flush() {
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
