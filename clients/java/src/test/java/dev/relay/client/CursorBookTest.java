package dev.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CursorBookTest {

    private final List<String> shown = new ArrayList<>();
    private final CursorBook book = new CursorBook(Map.of(), (m, via) -> shown.add(m.conversationId() + "/" + m.seq() + "/" + via), 100);

    static Message message(String conversation, long seq) {
        return new Message("m-" + conversation + "-" + seq, conversation, seq, "bob", "body " + seq, null,
                Instant.EPOCH, Qos.EXACTLY_ONCE);
    }

    @Test
    void inOrderPushesAreShownOnceEachAndMoveTheCursor() {
        assertThat(book.offer(message("c", 1), Delivery.PUSH, false)).isEqualTo(CursorBook.Outcome.SHOWN);
        assertThat(book.offer(message("c", 2), Delivery.PUSH, false)).isEqualTo(CursorBook.Outcome.SHOWN);
        assertThat(shown).containsExactly("c/1/PUSH", "c/2/PUSH");
        assertThat(book.cursor("c")).isEqualTo(2);
    }

    @Test
    void aDuplicatePushIsDroppedAndNotShownAgain() {
        book.offer(message("c", 1), Delivery.PUSH, false);
        assertThat(book.offer(message("c", 1), Delivery.PUSH, false)).isEqualTo(CursorBook.Outcome.DUPLICATE);
        assertThat(book.offer(message("c", 1), Delivery.SYNC, false)).isEqualTo(CursorBook.Outcome.DUPLICATE);
        assertThat(shown).containsExactly("c/1/PUSH");
    }

    @Test
    void anOutOfOrderPushIsHeldAsAGapUntilSyncFillsIt() {
        book.offer(message("c", 1), Delivery.PUSH, false);
        assertThat(book.offer(message("c", 3), Delivery.PUSH, false)).isEqualTo(CursorBook.Outcome.HELD);
        assertThat(book.offer(message("c", 4), Delivery.PUSH, false)).isEqualTo(CursorBook.Outcome.HELD);
        assertThat(book.hasGap()).isTrue();
        assertThat(shown).containsExactly("c/1/PUSH");
        // The sync page brings 2, 3, 4: 2 is shown by sync and releases the held 3 and 4; the page's 3 and 4 are then duplicates.
        book.offer(message("c", 2), Delivery.SYNC, false);
        assertThat(book.offer(message("c", 3), Delivery.SYNC, false)).isEqualTo(CursorBook.Outcome.DUPLICATE);
        assertThat(book.offer(message("c", 4), Delivery.SYNC, false)).isEqualTo(CursorBook.Outcome.DUPLICATE);
        assertThat(shown).containsExactly("c/1/PUSH", "c/2/SYNC", "c/3/PUSH", "c/4/PUSH");
        assertThat(book.hasGap()).isFalse();
        assertThat(book.cursor("c")).isEqualTo(4);
    }

    @Test
    void pushesHeldDuringAResyncAreReleasedAfterItWithoutDoubles() {
        // A resync is running: even the next-in-line push waits for it.
        assertThat(book.offer(message("c", 1), Delivery.PUSH, true)).isEqualTo(CursorBook.Outcome.HELD);
        assertThat(book.offer(message("c", 2), Delivery.PUSH, true)).isEqualTo(CursorBook.Outcome.HELD);
        book.offer(message("c", 1), Delivery.SYNC, false);
        book.releaseAll();
        assertThat(shown).containsExactly("c/1/SYNC", "c/2/PUSH");
        assertThat(book.hasGap()).isFalse();
    }

    @Test
    void conversationsKeepTheirOwnCursors() {
        book.offer(message("a", 1), Delivery.PUSH, false);
        assertThat(book.offer(message("b", 2), Delivery.PUSH, false)).isEqualTo(CursorBook.Outcome.HELD);
        book.offer(message("b", 1), Delivery.PUSH, false);
        assertThat(shown).containsExactly("a/1/PUSH", "b/1/PUSH", "b/2/PUSH");
        assertThat(book.snapshot()).isEqualTo(Map.of("a", 1L, "b", 2L));
    }

    @Test
    void savedCursorsSkipWhatAnEarlierRunShowed() {
        CursorBook restarted = new CursorBook(Map.of("c", 5L), (m, via) -> shown.add(m.conversationId() + "/" + m.seq()), 100);
        assertThat(restarted.offer(message("c", 5), Delivery.SYNC, false)).isEqualTo(CursorBook.Outcome.DUPLICATE);
        restarted.offer(message("c", 6), Delivery.SYNC, false);
        assertThat(shown).containsExactly("c/6");
    }

    @Test
    void beyondTheHeldLimitPushesAreDroppedAndTheSyncStillShowsEveryOne() {
        CursorBook small = new CursorBook(Map.of(), (m, via) -> shown.add(m.conversationId() + "/" + m.seq()), 2);
        for (long seq = 2; seq <= 5; seq++) {
            small.offer(message("c", seq), Delivery.PUSH, false);
        }
        for (long seq = 1; seq <= 5; seq++) {
            small.offer(message("c", seq), Delivery.SYNC, false);
        }
        assertThat(shown).containsExactly("c/1", "c/2", "c/3", "c/4", "c/5");
    }

    /**
     * Any arrival order with duplicates and losses, followed by a sync of the whole log, shows
     * 1..n exactly once and in order (fixed seeds: the same cases every run).
     */
    @Test
    void everyInterleavingOfLostDuplicatedAndReorderedPushesEndsInOneInOrderShowing() {
        for (long seed = 1; seed <= 500; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(30);
            List<Long> arrivals = new ArrayList<>();
            for (long seq = 1; seq <= n; seq++) {
                int copies = random.nextInt(3); // 0 = lost, 2 = duplicated
                for (int i = 0; i < copies; i++) {
                    arrivals.add(seq);
                }
            }
            Collections.shuffle(arrivals, random);
            List<Long> seen = new ArrayList<>();
            CursorBook merged = new CursorBook(Map.of(), (m, via) -> seen.add(m.seq()), 10_000);
            for (long seq : arrivals) {
                merged.offer(message("c", seq), Delivery.PUSH, random.nextInt(4) == 0);
                if (random.nextInt(5) == 0) {
                    merged.releaseAll();
                }
            }
            long cursor = merged.cursor("c");
            LongStream.rangeClosed(cursor + 1, n).forEach(seq -> merged.offer(message("c", seq), Delivery.SYNC, false));
            merged.releaseAll();
            assertThat(seen).as("seed %d, arrivals %s", seed, arrivals)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
            assertThat(merged.hasGap()).isFalse();
        }
    }
}
