package dev.relay.ingest.kafka;

import dev.relay.contract.wire.Message;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.config.IngestMetrics;
import dev.relay.ingest.dynamo.PublicationStore;
import dev.relay.ingest.dynamo.PublicationStore.PublishState;
import dev.relay.platform.dynamo.LogStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Publishes committed messages Kafka never acked, whatever crashed in between (ingest after its
 * commit, the broker, the producer's buffer). Every {@code repair.interval} it reads the sparse
 * {@code pending-publish} index for conversations whose oldest unconfirmed commit is older than
 * {@code repair.grace}, publishes {@code publishedSeq + 1 .. lastSeq} from the log, and lets
 * {@link PublishConfirmations} advance {@code publishedSeq} from the acks. A conversation whose
 * repair is still in the producer (broker down) is not republished until that settles, so an
 * outage does not pile up copies.
 *
 * <p>Safe on any number of instances at once: two sweeps may publish the same seqs, and duplicates
 * on Kafka are allowed (consumers are idempotent on conversationId + seq); a lost one is not.
 */
@ApplicationScoped
public class RepairSweep {

    private static final Logger LOG = Logger.getLogger(RepairSweep.class);

    private final PublicationStore publications;
    private final LogStore log;
    private final MessagePublisher publisher;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final RelayProducer producer;
    /** Conversations whose repair records the producer still holds; not republished until they settle. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public RepairSweep(PublicationStore publications, LogStore log, MessagePublisher publisher, IngestConfig config,
                       IngestMetrics metrics, RelayProducer producer) {
        this.publications = publications;
        this.log = log;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        this.producer = producer;
    }

    @Scheduled(every = "${relay.ingest.repair.interval}", delayed = "${relay.ingest.repair.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("repair sweep failed; retrying next run: %s", e.toString());
        }
    }

    /**
     * One pass over the conversations past their grace period; returns how many messages it handed to
     * Kafka. While Kafka is unresponsive the send path hands nothing to the producer, so there is no
     * ack to wait for: the grace period is skipped and this pass probes the broker (its first ack ends
     * the outage).
     *
     * <p>Invariant: one conversation can only ever stop its own repair. A conversation whose repair
     * throws (its log or item unreadable, a store error) is counted, logged and skipped for this pass,
     * and the pass goes on with the rest; a message that cannot be published as stored goes out as
     * its placeholder ({@link MessagePublisher}), so the conversation's later messages follow it. The
     * pass stops early only when the producer refuses a record for a reason that is not the record's
     * own (no metadata within {@code max.block.ms}, buffer full): the rest would be refused too, each
     * after the same wait.
     */
    int sweep() {
        Duration grace = producer.unresponsive() ? Duration.ZERO : config.repair().grace();
        Instant cutoff = Instant.now().minus(grace);
        int published = 0;
        for (String conversationId : publications.pendingBefore(cutoff, config.repair().conversationsPerRun())) {
            int handed;
            try {
                handed = repair(conversationId);
            } catch (RuntimeException e) {
                metrics.repairFailed();
                LOG.warnf(e, "repair sweep skipped %s this pass; going on with the others", conversationId);
                continue;
            }
            if (handed < 0) {
                break;
            }
            published += handed;
        }
        return published;
    }

    /** @return messages handed to the producer, or -1 when it refused one outright (no broker to be had) */
    private int repair(String conversationId) {
        if (inFlight.contains(conversationId)) {
            return 0;
        }
        PublishState state = publications.state(conversationId);
        if (state == null || !state.pending() || state.publishedSeq() >= state.lastSeq()) {
            return 0;
        }
        long from = state.publishedSeq() + 1;
        List<Message> missing = log.range(conversationId, from,
                Math.min(state.lastSeq(), from + config.repair().messagesPerConversation() - 1));
        if (missing.isEmpty() || !inFlight.add(conversationId)) {
            return 0;
        }
        LOG.infof("repair sweep publishing %s seq %d..%d", conversationId, missing.getFirst().seq(),
                missing.getLast().seq());
        List<CompletableFuture<?>> sent = new ArrayList<>(missing.size());
        boolean refused = false;
        try {
            for (Message message : missing) {
                CompletableFuture<?> acked = publisher.publish(message);
                sent.add(acked);
                if (acked.isCompletedExceptionally() && MessagePublisher.recordFault(acked.exceptionNow()) == null) {
                    refused = true;
                    break;
                }
            }
        } finally {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .whenComplete((acked, error) -> {
                        inFlight.remove(conversationId);
                        if (error == null) {
                            metrics.repairPublished(sent.size());
                        } else {
                            LOG.debugf("repair of %s not acked: %s", conversationId, error.toString());
                        }
                    });
        }
        return refused ? -1 : sent.size();
    }
}
