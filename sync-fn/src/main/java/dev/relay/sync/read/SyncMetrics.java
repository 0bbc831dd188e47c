package dev.relay.sync.read;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The meters of sync-fn, named once. Prometheus shows them with dots as underscores. */
@ApplicationScoped
public class SyncMetrics {

    private final Timer syncLatency;
    private final DistributionSummary messagesPerSync;
    private final DistributionSummary changedPerSync;
    private final DistributionSummary readPerSync;
    private final DistributionSummary pagesPerCatchUp;
    private final Counter receiptPublishFailures;

    public SyncMetrics(MeterRegistry registry) {
        this.syncLatency = Timer.builder("relay.sync.latency")
                .description("Time to answer POST /v1/sync")
                .publishPercentileHistogram()
                .register(registry);
        this.messagesPerSync = DistributionSummary.builder("relay.sync.messages")
                .description("Messages returned by one sync call")
                .baseUnit("messages")
                .register(registry);
        this.changedPerSync = DistributionSummary.builder("relay.sync.conversations.changed")
                .description("Caller's conversations with messages above the cursor, per sync call")
                .register(registry);
        this.readPerSync = DistributionSummary.builder("relay.sync.conversations.read")
                .description("Conversations whose log one sync call read (never the unchanged ones)")
                .register(registry);
        this.pagesPerCatchUp = DistributionSummary.builder("relay.sync.catchup.pages")
                .description("Sync calls from a catch-up's first page to the one with hasMore=false (per instance)")
                .baseUnit("pages")
                .register(registry);
        this.receiptPublishFailures = Counter.builder("relay.receipts.publish.failures")
                .description("Read receipts that could not be handed to Kafka (the read mark itself was stored)")
                .register(registry);
    }

    void sync(Duration latency, int messages, int changed, int read) {
        syncLatency.record(latency);
        messagesPerSync.record(messages);
        changedPerSync.record(changed);
        readPerSync.record(read);
    }

    void catchUpFinished(int pages) {
        pagesPerCatchUp.record(pages);
    }

    public void receiptNotPublished() {
        receiptPublishFailures.increment();
    }
}
