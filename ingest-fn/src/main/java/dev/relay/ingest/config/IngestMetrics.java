package dev.relay.ingest.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/** The send path's meters, registered once; names are what /q/metrics shows (dots become underscores). */
@ApplicationScoped
public class IngestMetrics {

    private final Timer commit;
    private final Timer publish;
    private final Counter replays;
    private final Counter conflicts;
    private final Counter contended;
    private final Counter rateLimited;
    private final Counter rateLimitFailOpen;
    private final Counter publishFailed;
    private final Counter publishLeftToRepair;
    private final Counter repairPublished;
    private final Counter signalsDropped;
    private final Counter confirmedByAppend;
    private final Counter confirmedByUpdate;
    private final Counter repairFailed;
    private final DistributionSummary appendsPerTransaction;
    private final Counter groupCommitReruns;
    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.repairFailed = Counter.builder("relay.ingest.repair.failed")
                .description("Conversations the repair sweep could not repair in a pass (it goes on with the others)")
                .register(registry);
        this.commit = Timer.builder("relay.ingest.commit").description("DynamoDB append transaction, turn wait and retries included")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.publish = Timer.builder("relay.ingest.publish").description("Wait for Kafka's ack of a committed message")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.replays = Counter.builder("relay.ingest.replays").description("Sends answered from the idempotency record")
                .register(registry);
        this.conflicts = Counter.builder("relay.ingest.append.retries").description("Append transactions retried after a lost race or stale lastSeq")
                .register(registry);
        this.contended = Counter.builder("relay.ingest.append.contended").description("Sends refused after every bounded attempt")
                .register(registry);
        this.rateLimited = Counter.builder("relay.ingest.rate_limited").description("Sends refused with 429")
                .register(registry);
        this.rateLimitFailOpen = Counter.builder("relay.ingest.rate_limit.fail_open").description("Sends let through because Redis did not answer")
                .register(registry);
        this.publishFailed = Counter.builder("relay.ingest.publish.unacked").description("Committed messages not acked by Kafka within the wait")
                .register(registry);
        this.publishLeftToRepair = Counter.builder("relay.ingest.publish.left_to_repair")
                .description("Committed messages not handed to Kafka because it was unresponsive; the repair sweep publishes them")
                .register(registry);
        this.repairPublished = Counter.builder("relay.ingest.repair.published").description("Messages published by the repair sweep")
                .register(registry);
        this.confirmedByAppend = Counter.builder("relay.ingest.publish.confirmations").tag("by", "append")
                .description("publishedSeq raises: recorded by an append's own transaction, or by an update of their own")
                .register(registry);
        this.confirmedByUpdate = Counter.builder("relay.ingest.publish.confirmations").tag("by", "update")
                .description("publishedSeq raises: recorded by an append's own transaction, or by an update of their own")
                .register(registry);
        this.appendsPerTransaction = DistributionSummary.builder("relay.dynamodb.appends.per.transaction")
                .description("Appends committed together in one TransactWriteItems (group commit), retried ones included")
                .register(registry);
        this.groupCommitReruns = Counter.builder("relay.ingest.append.group_commit.reruns")
                .description("Appends sent again alone because a shared transaction was cancelled or refused for another append")
                .register(registry);
        this.signalsDropped = Counter.builder("relay.ingest.signals.dropped").description("At-most-once signals Kafka did not take")
                .register(registry);
    }

    public Timer commit() {
        return commit;
    }

    /** How many appends each group-committed transaction carried. */
    public DistributionSummary appendsPerTransaction() {
        return appendsPerTransaction;
    }

    /** Appends group commit sent again alone after their shared transaction failed for another one. */
    public Counter groupCommitReruns() {
        return groupCommitReruns;
    }

    public Timer publish() {
        return publish;
    }

    public void replayed() {
        replays.increment();
    }

    public void retried(int retries) {
        if (retries > 0) {
            conflicts.increment(retries);
        }
    }

    public void contended() {
        contended.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public void rateLimitFailedOpen() {
        rateLimitFailOpen.increment();
    }

    public void publishUnacked() {
        publishFailed.increment();
    }

    public void publishLeftToRepair() {
        publishLeftToRepair.increment();
    }

    public void repairPublished(int messages) {
        repairPublished.increment(messages);
    }

    public void confirmedByAppend() {
        confirmedByAppend.increment();
    }

    public void confirmedByUpdate() {
        confirmedByUpdate.increment();
    }

    /** A committed message published as a placeholder because the record itself could not be (reason: a slug). */
    public void publishPoison(String reason) {
        Counter.builder("relay.ingest.publish.poison").tag("reason", reason)
                .description("Committed messages published as a placeholder: the record could not be written, was too large or invalid")
                .register(registry).increment();
    }

    public void repairFailed() {
        repairFailed.increment();
    }

    public void signalDropped() {
        signalsDropped.increment();
    }
}
