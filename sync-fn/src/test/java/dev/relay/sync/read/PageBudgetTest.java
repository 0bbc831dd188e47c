package dev.relay.sync.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PageBudgetTest {

    private static Message message(String body) {
        return new Message("id", "c", 1, "u", body, null, Instant.EPOCH, Qos.EXACTLY_ONCE);
    }

    @Test
    void stopsAtTheMessageLimit() {
        PageBudget budget = new PageBudget(2, Long.MAX_VALUE);
        assertThat(budget.admit(message("a"))).isTrue();
        assertThat(budget.admit(message("b"))).isTrue();
        assertThat(budget.exhausted()).isFalse();
        assertThat(budget.admit(message("c"))).isFalse();
        assertThat(budget.exhausted()).isTrue();
    }

    @Test
    void stopsBeforeTheByteLimitButAlwaysTakesTheFirstMessage() {
        String big = "x".repeat(64 * 1024);
        PageBudget budget = new PageBudget(100, 100_000);
        assertThat(budget.admit(message(big))).as("first message, however large").isTrue();
        assertThat(budget.admit(message(big))).isFalse();
        assertThat(budget.admit(message("small"))).as("once full, nothing more, so order is kept").isFalse();
    }

    @Test
    void estimatesMultiByteAndEscapedTextAtItsJsonSize() {
        long ascii = PageBudget.estimate(message("aaaa"));
        assertThat(PageBudget.estimate(message("éééé"))).isEqualTo(ascii + 4);
        assertThat(PageBudget.estimate(message("😀😀"))).isEqualTo(ascii + 4);
        assertThat(PageBudget.estimate(message("\"\"\"\""))).isEqualTo(ascii + 20);
    }
}
