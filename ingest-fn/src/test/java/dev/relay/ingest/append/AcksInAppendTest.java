package dev.relay.ingest.append;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;

/**
 * Acks recorded in the append, against a stub of the committer it decorates: which attempts carry a
 * run, what the acks learn, and when an attempt goes again without its run. No servers.
 */
class AcksInAppendTest {

    private final List<AppendAttempt> attempts = new ArrayList<>();
    private final List<CommitOutcome> answers = new ArrayList<>();
    private final Runs runs = new Runs();
    private final AcksInAppend committer = new AcksInAppend((attempt, deadline) -> {
        attempts.add(attempt);
        return answers.isEmpty() ? new CommitOutcome.Committed() : answers.removeFirst();
    }, runs);

    @Test
    void anAttemptWithNoAckedRunGoesAsItIs() {
        assertThat(committer.commit(attempt(5), 0)).isInstanceOf(CommitOutcome.Committed.class);

        assertThat(attempts).extracting(AppendAttempt::run).containsExactly((SeqRun) null);
        assertThat(runs.recorded).isEmpty();
    }

    @Test
    void aRunThatEndsBelowTheSeqRidesOnTheAttemptAndIsRecordedWhenItCommits() {
        runs.offer = new SeqRun(3, 4);

        assertThat(committer.commit(attempt(5), 0)).isInstanceOf(CommitOutcome.Committed.class);

        assertThat(attempts).extracting(AppendAttempt::run).containsExactly(new SeqRun(3, 4));
        assertThat(runs.recorded).containsExactly(new SeqRun(3, 4));
    }

    @Test
    void aRunThatReachesTheSeqIsNotOffered() {
        runs.offer = new SeqRun(3, 5);

        committer.commit(attempt(5), 0);

        assertThat(attempts).extracting(AppendAttempt::run).containsExactly((SeqRun) null);
    }

    @Test
    void aRunThatNoLongerFollowsPublishedSeqIsDroppedAndTheSameAttemptGoesAgainAtOnce() {
        runs.offer = new SeqRun(3, 4);
        answers.add(cancelledByConversation(4, 4));

        assertThat(committer.commit(attempt(5), 0)).isInstanceOf(CommitOutcome.Committed.class);

        assertThat(attempts).extracting(AppendAttempt::run).containsExactly(new SeqRun(3, 4), null);
        assertThat(attempts).extracting(a -> a.message().seq()).containsExactly(5L, 5L);
        assertThat(runs.observed).containsExactly(4L);
        assertThat(runs.recorded).isEmpty();
    }

    @Test
    void aStaleSeqIsTheAppendersToRetryNotTheRuns() {
        runs.offer = new SeqRun(3, 4);
        CommitOutcome stale = cancelledByConversation(7, 4);
        answers.add(stale);

        assertThat(committer.commit(attempt(5), 0)).isSameAs(stale);

        assertThat(attempts).hasSize(1);
        assertThat(runs.observed).isEmpty();
    }

    @Test
    void aCancellationOfAnotherItemIsAnsweredAsItIs() {
        runs.offer = new SeqRun(3, 4);
        CommitOutcome claimed = new CommitOutcome.Cancelled(List.of(reason("None", Map.of()),
                reason("ConditionalCheckFailed", conversation(4, 4)), reason("None", Map.of()),
                reason("ConditionalCheckFailed", Map.of())));
        answers.add(claimed);

        assertThat(committer.commit(attempt(5), 0)).isSameAs(claimed);
        assertThat(attempts).hasSize(1);
    }

    private static AppendAttempt attempt(long seq) {
        return new AppendAttempt(new Message("m-" + seq, "c", seq, "alice", "hi", null, Instant.EPOCH, Qos.AT_LEAST_ONCE),
                null);
    }

    /** Only the conversation's condition failed; the item as it is stored. */
    private static CommitOutcome cancelledByConversation(long lastSeq, long publishedSeq) {
        return new CommitOutcome.Cancelled(List.of(reason("None", Map.of()),
                reason("ConditionalCheckFailed", conversation(lastSeq, publishedSeq)), reason("None", Map.of())));
    }

    private static Map<String, AttributeValue> conversation(long lastSeq, long publishedSeq) {
        return Map.of(Conversations.LAST_SEQ, AttributeValue.fromN(Long.toString(lastSeq)),
                Conversations.PUBLISHED_SEQ, AttributeValue.fromN(Long.toString(publishedSeq)));
    }

    private static CancellationReason reason(String code, Map<String, AttributeValue> item) {
        return CancellationReason.builder().code(code).item(item).build();
    }

    /** The acks: offers one run, and records what the decorator tells them. */
    private static final class Runs implements PublishedRuns {
        SeqRun offer;
        final List<SeqRun> recorded = new ArrayList<>();
        final List<Long> observed = new ArrayList<>();

        @Override
        public SeqRun next(String conversationId) {
            return offer;
        }

        @Override
        public void recorded(String conversationId, SeqRun run) {
            recorded.add(run);
        }

        @Override
        public void observed(String conversationId, long publishedSeq) {
            observed.add(publishedSeq);
        }
    }
}
