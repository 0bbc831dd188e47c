package dev.relay.edge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream's contract (API.md "Stream", websocket-edge README "Ordered push with a gap hold",
 * "Re-send and resync bounds", "Acks"), with time given as ticks: no servers, no clock.
 */
class ConversationStreamTest {

    private static final String CONVERSATION = "c1";
    private static final long ACK_TIMEOUT = 1_000;
    private static final int MAX_RESENDS = 3;
    private static final long GAP_HOLD = 2_000;
    private static final ConnectionLimits LIMITS = new ConnectionLimits(512, 1 << 20, 16,
            ACK_TIMEOUT, MAX_RESENDS, 1_000, 1 << 20, GAP_HOLD, 50_000, 10, 25);

    private final RecordedOutput out = new RecordedOutput();
    private final ConversationStream stream = new ConversationStream(CONVERSATION, LIMITS, out);

    @Test
    void firstMessageSetsTheBaselineAndTheNextSeqsArePushedInOrder() {
        offer(41, 0);
        offer(42, 0);
        offer(43, 0);

        assertThat(out.events).containsExactly("push 41", "push 42", "push 43");
        assertThat(stream.highestPushed()).isEqualTo(43);
        assertThat(stream.unackedCount()).isEqualTo(3);
    }

    @Test
    void duplicatesAndSeqsAtOrBelowWhatWasPushedAreDropped() {
        offer(5, 0);
        offer(6, 0);
        offer(6, 0);
        offer(5, 0);
        offer(4, 0);
        // nothing was held either: past the gap hold, no resync and no late push (only re-sends of 5 and 6)
        stream.tick(GAP_HOLD);

        assertThat(out.events).filteredOn(e -> !e.startsWith("resend")).containsExactly("push 5", "push 6");
        assertThat(stream.unackedCount()).isEqualTo(2);
    }

    @Test
    void aLaterSeqIsHeldUntilTheMissingOneArrivesThenBothFollowInOrder() {
        offer(1, 0);
        offer(3, 10);
        offer(4, 20);
        assertThat(out.events).containsExactly("push 1");

        offer(2, 30);

        assertThat(out.events).containsExactly("push 1", "push 2", "push 3", "push 4");
        assertThat(stream.idle()).isFalse();
        // nothing left held: the hold's deadline passing changes nothing
        stream.tick(GAP_HOLD + 30);
        assertThat(out.events).doesNotContain("resync gap");
    }

    @Test
    void aGapNotFilledWithinTheHoldEndsInResyncThenTheHeldMessages() {
        offer(1, 0);
        stream.ack(1, 0);
        offer(3, 100);
        offer(5, 200);

        stream.tick(100 + GAP_HOLD - 1);
        assertThat(out.events).containsExactly("push 1");

        stream.tick(100 + GAP_HOLD);
        assertThat(out.events).containsExactly("push 1", "resync gap", "push 3", "push 5");

        // the missing seqs arriving late are below what was pushed: the client syncs them
        offer(2, 3_000);
        offer(4, 3_000);
        assertThat(out.events).hasSize(4);
    }

    @Test
    void moreThan64HeldMessagesEndTheHoldAtOnce() {
        offer(1, 0);
        for (long seq = 3; seq <= 66; seq++) {
            offer(seq, 0);
        }
        assertThat(out.events).containsExactly("push 1");

        offer(67, 0);

        List<String> expected = new ArrayList<>(List.of("push 1", "resync gap"));
        for (long seq = 3; seq <= 67; seq++) {
            expected.add("push " + seq);
        }
        assertThat(out.events).containsExactlyElementsOf(expected);
    }

    @Test
    void anAckIsCumulativeAndFreesEverySeqUpToIt() {
        offer(1, 0);
        offer(2, 10);
        offer(3, 20);

        long delivered = stream.ack(2, 500);

        assertThat(delivered).isEqualTo(2);
        assertThat(out.acks).containsExactly("acked after 500", "acked after 490");
        assertThat(stream.unackedCount()).isEqualTo(1);
        assertThat(out.unackedChars).isEqualTo(text(3).length());
    }

    @Test
    void staleDuplicateAndOutOfOrderAcksFreeNothingTwice() {
        offer(1, 0);
        offer(2, 0);
        offer(3, 0);

        stream.ack(3, 100);
        long stale = stream.ack(1, 200);
        long duplicate = stream.ack(3, 300);

        assertThat(out.acks).hasSize(3);
        assertThat(stream.acked()).isEqualTo(3);
        assertThat(stale).as("a stale ack proves only what it names; deliveredSeq never lowers").isEqualTo(1);
        assertThat(duplicate).isEqualTo(3);
        assertThat(stream.idle()).isTrue();
        assertThat(out.unackedChars).isZero();
    }

    @Test
    void anAckAboveWhatWasPushedCountsOnlyUpToThePushedSeqAndSilencesNothing() {
        offer(1, 0);
        offer(2, 0);

        long delivered = stream.ack(1_000, 100);
        offer(3, 200);
        offer(4, 200);

        assertThat(delivered).as("deliveredSeq is raised only up to what this connection pushed").isEqualTo(2);
        assertThat(stream.acked()).isEqualTo(2);
        assertThat(out.events).containsSubsequence("push 3", "push 4");
        assertThat(stream.unackedCount()).isEqualTo(2);
    }

    @Test
    void aMessageAtOrBelowTheAckedSeqIsNotPushedAgain() {
        offer(1, 0);
        offer(2, 0);
        stream.ack(2, 10);

        offer(2, 20);
        offer(1, 20);
        stream.tick(20 + GAP_HOLD);

        assertThat(out.events).containsExactly("push 1", "push 2");
        assertThat(out.acks).containsExactly("acked after 10", "acked after 10");
        assertThat(stream.idle()).isTrue();
    }

    @Test
    void anUnackedMessageIsResentAfterTheAckTimeoutAndThenOnlyAfterAnotherTimeout() {
        offer(1, 0);

        stream.tick(ACK_TIMEOUT - 1);
        assertThat(out.events).containsExactly("push 1");

        stream.tick(ACK_TIMEOUT);
        stream.tick(ACK_TIMEOUT + ACK_TIMEOUT / 2);
        assertThat(out.events).containsExactly("push 1", "resend 1");

        stream.tick(2 * ACK_TIMEOUT);
        assertThat(out.events).containsExactly("push 1", "resend 1", "resend 1");
    }

    @Test
    void anAckedMessageIsNeverResent() {
        offer(1, 0);
        offer(2, 0);
        stream.ack(1, 100);

        stream.tick(ACK_TIMEOUT);

        assertThat(out.events).filteredOn(e -> e.startsWith("resend")).containsExactly("resend 2");
    }

    @Test
    void afterTheLastResendTheUnackedAreDroppedAndTheClientIsToldToResync() {
        offer(1, 0);
        offer(2, 0);
        for (int resend = 1; resend <= MAX_RESENDS; resend++) {
            stream.tick(resend * ACK_TIMEOUT);
        }
        assertThat(out.events).filteredOn(e -> e.startsWith("resend")).hasSize(2 * MAX_RESENDS);

        stream.tick((MAX_RESENDS + 1) * ACK_TIMEOUT);

        assertThat(out.events).endsWith("dropped 2", "resync unacked");
        assertThat(stream.unackedCount()).isZero();
        assertThat(out.unackedChars).isZero();
        assertThat(stream.idle()).isTrue();
        // nothing is left to re-send
        stream.tick((MAX_RESENDS + 5) * ACK_TIMEOUT);
        assertThat(out.events).endsWith("dropped 2", "resync unacked");
    }

    @Test
    void droppingTheConversationReleasesItsUnackedAndHeldMessages() {
        offer(1, 0);
        offer(2, 0);
        offer(4, 0);

        stream.dropAll();

        assertThat(out.events).endsWith("dropped 2");
        assertThat(out.unacked).isZero();
        assertThat(out.unackedChars).isZero();
        assertThat(stream.idle()).isTrue();
        // the hold was dropped with it: no resync when its deadline passes
        stream.tick(GAP_HOLD);
        assertThat(out.events).doesNotContain("resync gap");
    }

    @Test
    void theUsersOwnMessagesAreRememberedSoTheirAckWritesNothing() {
        stream.offer(7, text(7), true, 0);
        offer(8, 0);

        assertThat(stream.highestOwn()).isEqualTo(7);
        assertThat(out.events).containsExactly("push 7", "push 8");
    }

    private void offer(long seq, long now) {
        stream.offer(seq, text(seq), false, now);
    }

    private static String text(long seq) {
        return "{\"type\":\"message\",\"seq\":" + seq + "}";
    }

    private static long seqOf(String text) {
        return Long.parseLong(text.substring(text.lastIndexOf(':') + 1, text.length() - 1));
    }

    /** What the stream asked of its connection, in order, and the unacked counts it reported. */
    private static final class RecordedOutput implements StreamOutput {

        /** Frames to the client and unacked messages dropped, in order. */
        final List<String> events = new ArrayList<>();
        final List<String> acks = new ArrayList<>();
        int unacked;
        long unackedChars;

        @Override
        public void pushed(String text, String conversationId) {
            assertThat(conversationId).isEqualTo(CONVERSATION);
            unacked++;
            unackedChars += text.length();
            events.add("push " + seqOf(text));
        }

        @Override
        public void resent(String text, String conversationId) {
            events.add("resend " + seqOf(text));
        }

        @Override
        public void resync(String conversationId, String reason) {
            assertThat(conversationId).isEqualTo(CONVERSATION);
            events.add("resync " + reason);
        }

        @Override
        public void acked(long pushToAckMillis, int chars) {
            unacked--;
            unackedChars -= chars;
            acks.add("acked after " + pushToAckMillis);
        }

        @Override
        public void unackedDropped(int count, long chars) {
            unacked -= count;
            unackedChars -= chars;
            events.add("dropped " + count);
        }
    }
}
