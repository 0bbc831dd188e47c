package dev.relay.fanout.route;

/**
 * A dependency routing needs did not answer at all (Redis connection refused, closed or timed out;
 * DynamoDB unreachable, throttled or failing on its side). It says nothing about the record, so the
 * record is kept and routed once the dependency is back, never dead-lettered for it.
 */
public final class DependencyUnavailableException extends RuntimeException {

    private final String dependency;

    /** @param dependency {@code redis} or {@code dynamodb}, as readiness names it */
    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
    }

    public String dependency() {
        return dependency;
    }
}
