package dev.relay.ingest.append;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConversationTurnsTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    private final ConversationTurns turns = new ConversationTurns();

    @Test
    void heldTurnsOfManyConversationsNeverBlockEachOther() {
        // 5,000 conversations all held at once: no two share a lock, whatever their hash codes.
        List<ConversationTurns.Turn> held = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ConversationTurns.Turn turn = turns.tryNow("conversation-" + i);
            assertThat(turn).as("turn of conversation-%d while %d others are held", i, i).isNotNull();
            held.add(turn);
        }
        assertThat(turns.active()).isEqualTo(5_000);
        held.forEach(ConversationTurns.Turn::release);
        assertThat(turns.active()).as("turns nobody holds are forgotten").isZero();
    }

    @Test
    void aConversationsTurnIsHeldByOneAppendAtATime() throws Exception {
        ConversationTurns.Turn first = turns.await("c", LONG);
        assertThat(turns.tryNow("c")).as("tryNow while held").isNull();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch secondHolds = new CountDownLatch(1);
            CountDownLatch secondMayRelease = new CountDownLatch(1);
            Future<Boolean> second = threads.submit(() -> {
                ConversationTurns.Turn turn = turns.await("c", LONG);
                secondHolds.countDown();
                secondMayRelease.await();
                turn.release();
                return turn != null;
            });
            assertThat(secondHolds.await(200, TimeUnit.MILLISECONDS)).as("second holds while first does").isFalse();
            first.release();
            assertThat(secondHolds.await(1, TimeUnit.MINUTES)).as("second holds after first released").isTrue();
            assertThat(turns.tryNow("c")).as("tryNow while the second append holds it").isNull();
            secondMayRelease.countDown();
            assertThat(second.get(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(turns.active()).isZero();
        ConversationTurns.Turn again = turns.tryNow("c");
        assertThat(again).as("free again").isNotNull();
        again.release();
    }

    @Test
    void aTurnThatDoesNotComeInTimeIsNullAndLeavesNoTrace() throws Exception {
        ConversationTurns.Turn held = turns.await("busy", LONG);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ConversationTurns.Turn> late = threads.submit(() -> turns.await("busy", Duration.ofMillis(1)));
            assertThat(late.get(1, TimeUnit.MINUTES)).isNull();
        }
        held.release();
        assertThat(turns.active()).isZero();
    }
}
