package dev.relay.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.ingest.append.ConversationTurns;
import dev.relay.ingest.append.SeqRun;
import dev.relay.ingest.config.IngestMetrics;
import dev.relay.ingest.dynamo.PublicationStore.Confirmation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The confirmation state machine against a stub of the one write it makes ({@code Confirmer}, the
 * conditional update of {@code publishedSeq}): which runs it offers appends, and what each pass
 * writes. No servers; time is a counter the test moves.
 */
class PublishConfirmationsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration HORIZON = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Confirmation> answer = new AtomicReference<>(Confirmation.CONFIRMED);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConversationTurns turns = new ConversationTurns();
    private final PublishConfirmations confirmations = confirmations(true);

    @Test
    void acksArrivingOutOfOrderAreOfferedAsOneRunOnceTheyFollowPublishedSeq() {
        confirmations.acked("c", 3);
        confirmations.acked("c", 2);
        assertThat(confirmations.next("c")).as("seq 1 not acked yet").isNull();

        confirmations.acked("c", 1);

        assertThat(confirmations.next("c")).isEqualTo(new SeqRun(1, 3));
    }

    @Test
    void withoutAKnownPublishedSeqOnlyARunFromSeqOneIsOffered() {
        confirmations.acked("c", 5);
        confirmations.acked("c", 6);

        assertThat(confirmations.next("c")).isNull();
    }

    @Test
    void aRunRecordedByAnAppendIsForgottenAndTheNextRunMustFollowIt() {
        for (long seq = 1; seq <= 3; seq++) {
            confirmations.acked("c", seq);
        }
        confirmations.recorded("c", new SeqRun(1, 3));
        confirmations.acked("c", 5);
        assertThat(confirmations.next("c")).as("seq 4 missing").isNull();

        confirmations.acked("c", 4);

        assertThat(confirmations.next("c")).isEqualTo(new SeqRun(4, 5));
        assertThat(counted("append")).isEqualTo(1);
    }

    @Test
    void aPublishedSeqAnAppendObservedDropsTheAcksItCovers() {
        for (long seq = 1; seq <= 4; seq++) {
            confirmations.acked("c", seq);
        }

        confirmations.observed("c", 2);

        assertThat(confirmations.next("c")).isEqualTo(new SeqRun(3, 4));
    }

    @Test
    void aPassConfirmsTheLowestContiguousRunOfEachConversationWhoseAcksWaitedAnInterval() throws Exception {
        confirmations.acked("a", 1);
        confirmations.acked("a", 2);
        confirmations.acked("a", 4);
        confirmations.acked("b", 1);
        now.addAndGet(INTERVAL.toMillis() - 1);
        confirmations.pass();
        assertThat(writes).as("younger than the interval: left to appends").isEmpty();

        now.addAndGet(1);
        confirmations.pass();

        assertThat(writes).containsExactlyInAnyOrder("a 1..2", "b 1..1");
        assertThat(counted("update")).isEqualTo(2);
        assertThat(confirmations.next("a")).as("seq 3 missing").isNull();
        confirmations.acked("a", 3);
        assertThat(confirmations.next("a")).isEqualTo(new SeqRun(3, 4));
    }

    @Test
    void aPassSkipsAConversationWhoseTurnAnAppendHolds() throws Exception {
        confirmations.acked("c", 1);

        assertThat(turns.whenIdle("c", () -> {
            try {
                confirmations.flush(true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })).isTrue();
        assertThat(writes).as("while the turn was held").isEmpty();

        confirmations.flush(true);
        assertThat(writes).containsExactly("c 1..1");
    }

    @Test
    void acksThatCannotBeConfirmedAreDroppedAfterTheHorizon() throws Exception {
        answer.set(Confirmation.NOT_YET);
        confirmations.acked("c", 4);

        confirmations.flush(true);
        now.addAndGet(HORIZON.toMillis());
        confirmations.flush(true);
        assertThat(writes).containsExactly("c 4..4", "c 4..4");

        now.addAndGet(1);
        confirmations.flush(true);
        writes.clear();
        confirmations.flush(true);

        assertThat(writes).as("dropped: the repair sweep covers them").isEmpty();
        assertThat(counted("update")).isZero();
    }

    @Test
    void aRunAlreadyCoveredIsForgottenWithoutCountingAnUpdate() throws Exception {
        answer.set(Confirmation.COVERED);
        confirmations.acked("c", 1);

        confirmations.flush(true);
        confirmations.flush(true);

        assertThat(writes).containsExactly("c 1..1");
        assertThat(counted("update")).isZero();
    }

    @Test
    void withoutAcksInAppendsEveryPassConfirmsEveryAckAtOnce() {
        PublishConfirmations alone = confirmations(false);
        alone.acked("c", 1);
        alone.acked("c", 2);

        alone.pass();

        assertThat(writes).containsExactly("c 1..2");
    }

    private PublishConfirmations confirmations(boolean appendsRecordAcks) {
        return new PublishConfirmations((conversationId, from, to) -> {
            writes.add(conversationId + " " + from + ".." + to);
            return answer.get();
        }, turns, INTERVAL, HORIZON, appendsRecordAcks, new IngestMetrics(registry), now::get);
    }

    private double counted(String by) {
        return registry.get("relay.ingest.publish.confirmations").tag("by", by).counter().count();
    }
}
