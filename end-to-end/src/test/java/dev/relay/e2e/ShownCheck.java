package dev.relay.e2e;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;

/** What a recipient shows of a conversation, held against what its senders were answered ({@link SendLedger}). */
final class ShownCheck {

    private ShownCheck() {
    }

    /**
     * Checks what the recipient shows of the conversation up to {@code upTo}: seqs 1..upTo in this
     * order, each the message id and body its sender was given. With {@code complete}, every seq must
     * have been 2xx'd (all senders have finished) and nothing beyond {@code upTo} shown. Returns how
     * many bodies were shown more than once, and how many 2xx'd sends up to {@code upTo} are not shown
     * as their sender was told.
     */
    static Tally check(SoftAssertions soft, SendLedger ledger, ReferenceRecipient recipient, String conversation, long upTo,
                       boolean complete) {
        List<ReferenceRecipient.Shown> shown = List.copyOf(recipient.shownIn(conversation));
        NavigableMap<Long, SendLedger.Acked> acked = ledger.of(conversation);
        Set<String> bodies = new HashSet<>();
        long twice = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < shown.size() && (complete || shown.get(i).seq() <= upTo); i++) {
            ReferenceRecipient.Shown message = shown.get(i);
            if (!bodies.add(message.body())) {
                twice++;
            }
            if (message.seq() != i + 1) {
                wrong.add("position " + i + " shows seq " + message.seq());
                continue;
            }
            SendLedger.Acked sent = acked.get(message.seq());
            if (sent == null) {
                if (complete) {
                    wrong.add("seq " + message.seq() + " shown but no send got it in a 2xx");
                }
            } else if (!sent.messageId().equals(message.messageId()) || !sent.body().equals(message.body())) {
                wrong.add("seq " + message.seq() + " shown as " + message + " but 2xx'd as " + sent);
            }
        }
        long lost = 0;
        for (SendLedger.Acked sent : acked.headMap(upTo, true).values()) {
            int at = (int) sent.seq() - 1;
            if (at >= shown.size() || !shown.get(at).messageId().equals(sent.messageId())) {
                lost++;
            }
        }
        soft.assertThat(wrong).as("%s in %s", recipient.userId, conversation).isEmpty();
        soft.assertThat(shown.size()).as("messages %s shows in %s", recipient.userId, conversation)
                .isGreaterThanOrEqualTo((int) upTo);
        if (complete) {
            soft.assertThat(shown).as("messages %s shows in %s", recipient.userId, conversation).hasSize((int) upTo);
        }
        return new Tally(twice, lost);
    }

    /** Per recipient and conversation: bodies shown more than once, 2xx'd sends not shown as answered. */
    record Tally(long shownTwice, long lost) {
    }
}
