package dev.relay.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A problem the server answered (RFC 9457, {@code slug} from API.md "Errors"), or a failure on the
 * client's side: {@code status} 0 with slug {@code network} (the request may or may not have
 * arrived), {@code closed}, {@code replaced} or {@code not-connected}.
 */
public final class RelayException extends RuntimeException {

    /** Statuses after which the very same request may be tried again (API.md "Errors"). */
    private static final Set<Integer> RETRYABLE = Set.of(408, 409, 425, 429, 502, 503, 504);

    private final int status;
    private final String slug;
    private final Duration retryAfter;
    private final transient JsonNode problem;

    public RelayException(String message, int status, String slug, Duration retryAfter, JsonNode problem, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.slug = slug;
        this.retryAfter = retryAfter;
        this.problem = problem;
    }

    static RelayException network(String what, Throwable cause) {
        return new RelayException("network error on " + what + ": " + cause, 0, "network", null, null, cause);
    }

    static RelayException local(String slug, String message) {
        return new RelayException(message, 0, slug, null, null, null);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    /** The server's {@code Retry-After}, when it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The problem+json body, when there was one. */
    public Optional<JsonNode> problem() {
        return Optional.ofNullable(problem);
    }

    /** True when the same request (same Idempotency-Key) may cure this when tried again later. */
    public boolean retryable() {
        return "network".equals(slug) || RETRYABLE.contains(status);
    }
}
