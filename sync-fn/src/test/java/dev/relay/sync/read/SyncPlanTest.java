package dev.relay.sync.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.sync.dynamo.ConversationHead;
import dev.relay.sync.read.SyncPlan.Slice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncPlanTest {

    private static ConversationHead head(String id, long lastSeq) {
        return new ConversationHead(id, null, lastSeq, Instant.EPOCH);
    }

    @Test
    void onlyConversationsAboveTheirCursorAreReadAndNeverPastLastSeq() {
        SyncPlan plan = SyncPlan.of(List.of(head("a", 5), head("b", 7), head("c", 0), head("d", 3)),
                Map.of("a", 5L, "b", 2L), 100);
        assertThat(plan.slices()).containsExactly(new Slice("b", 2, 7, 7), new Slice("d", 0, 3, 3));
        assertThat(plan.changed()).isEqualTo(2);
    }

    @Test
    void theLimitIsFilledInOrderAndTheRestIsLeftForTheNextPage() {
        SyncPlan plan = SyncPlan.of(List.of(head("a", 4), head("b", 10), head("c", 2)), Map.of(), 6);
        assertThat(plan.slices()).containsExactly(new Slice("a", 0, 4, 4), new Slice("b", 0, 2, 10));
        assertThat(plan.slices().stream().mapToLong(Slice::size).sum()).isEqualTo(6);
        assertThat(plan.changed()).isEqualTo(3);
    }
}
