package dev.relay.ingest.append;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;

/** How one append attempt's items fared in the transaction that carried them. */
public sealed interface CommitOutcome {

    record Committed() implements CommitOutcome {
    }

    /**
     * The transaction was cancelled for a reason in the attempt's own items; {@code reasons} are aligned
     * with those items ({@link AppendTransaction}'s positions).
     */
    record Cancelled(List<CancellationReason> reasons) implements CommitOutcome {

        /** True when the condition of the item at {@code position} failed. */
        public boolean failed(int position) {
            return reasons.size() > position && "ConditionalCheckFailed".equals(reasons.get(position).code());
        }
    }

    /** The deadline passed before a transaction took the attempt: nothing of it was sent, and nothing will be. */
    record TimedOut() implements CommitOutcome {
    }
}
