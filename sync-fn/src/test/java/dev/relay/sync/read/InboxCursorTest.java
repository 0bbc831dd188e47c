package dev.relay.sync.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.sync.dynamo.ConversationHead;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InboxCursorTest {

    @Test
    void formatAndParseAreInverses() {
        InboxCursor cursor = new InboxCursor(Instant.parse("2026-03-01T10:15:30.123456789Z"), "c-1.x_y");
        assertThat(InboxCursor.parse(cursor.format())).isEqualTo(cursor);
        assertThat(cursor.format()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aCursorPrecedesWhatComesAfterItInTheInboxOrder() {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        InboxCursor cursor = InboxCursor.at(new ConversationHead("m", null, 0, t));
        assertThat(cursor.precedes(new ConversationHead("a", null, 0, t.minusMillis(1)))).isTrue();
        assertThat(cursor.precedes(new ConversationHead("z", null, 0, t))).isTrue();
        assertThat(cursor.precedes(new ConversationHead("m", null, 0, t))).isFalse();
        assertThat(cursor.precedes(new ConversationHead("a", null, 0, t))).isFalse();
        assertThat(cursor.precedes(new ConversationHead("z", null, 0, t.plusMillis(1)))).isFalse();
    }

    @Test
    void textThisServerNeverIssuedIsAMalformedRequest() {
        for (String text : new String[] {"not base64 !", "djIuMS4yLmM", "djEueC4yLmM", "djEuMS4yLmJhZCBpZCE"}) {
            assertThatThrownBy(() -> InboxCursor.parse(text)).isInstanceOfSatisfying(RelayProblem.class,
                    problem -> assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED_REQUEST));
        }
    }
}
