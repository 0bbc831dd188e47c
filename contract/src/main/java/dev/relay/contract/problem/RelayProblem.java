package dev.relay.contract.problem;

/**
 * A client-visible failure with its slug. Expected control flow, so it carries no stack trace.
 * {@code retryAfterSeconds} is set for 409, 429 and 503 and becomes a {@code Retry-After} header.
 */
public final class RelayProblem extends RuntimeException {

    private final ProblemType type;
    private final Integer retryAfterSeconds;

    public RelayProblem(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public RelayProblem(ProblemType type, String detail, Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.type = type;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ProblemType type() {
        return type;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem(String instance) {
        return Problem.of(type, getMessage(), instance);
    }
}
