package dev.relay.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.Ids;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void userIdsFollowTheDocumentedSyntax() {
        assertThat(Ids.isUserId("alice.b@example-1_x")).isTrue();
        assertThat(Ids.isUserId("a".repeat(64))).isTrue();
        assertThat(Ids.isUserId("a".repeat(65))).isFalse();
        assertThat(Ids.isUserId("")).isFalse();
        assertThat(Ids.isUserId("al ice")).isFalse();
        assertThat(Ids.isUserId(null)).isFalse();
    }

    @Test
    void idempotencyKeysAllowColonsUpTo128Chars() {
        assertThat(Ids.isIdempotencyKey("order:1234-abc.x_y")).isTrue();
        assertThat(Ids.isIdempotencyKey("k".repeat(128))).isTrue();
        assertThat(Ids.isIdempotencyKey("k".repeat(129))).isFalse();
        assertThat(Ids.isIdempotencyKey("a/b")).isFalse();
    }

    @Test
    void aBadIdIsAMalformedRequest() {
        assertThatThrownBy(() -> Ids.requireConversationId("../etc"))
                .isInstanceOfSatisfying(RelayProblem.class,
                        p -> assertThat(p.type()).isEqualTo(ProblemType.MALFORMED_REQUEST));
    }
}
