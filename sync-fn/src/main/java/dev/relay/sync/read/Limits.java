package dev.relay.sync.read;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;

/** The {@code limit} of a paged request: absent means the default; outside 1..max is 400. */
final class Limits {

    private Limits() {
    }

    static int of(Integer asked, int defaultLimit, int maxLimit) {
        if (asked == null) {
            return defaultLimit;
        }
        if (asked < 1 || asked > maxLimit) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST,
                    "limit must be between 1 and " + maxLimit + ", was " + asked);
        }
        return asked;
    }
}
