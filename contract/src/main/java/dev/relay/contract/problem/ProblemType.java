package dev.relay.contract.problem;

import java.net.URI;

/** The error table of API.md: stable slugs, their HTTP status and title. */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request"),
    IDEMPOTENCY_KEY_REQUIRED("idempotency-key-required", 400, "Idempotency-Key required"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    CONVERSATION_NOT_FOUND("conversation-not-found", 404, "Conversation not found"),
    REQUEST_IN_PROGRESS("request-in-progress", 409, "Request in progress"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency-Key reused"),
    RATE_LIMITED("rate-limited", 429, "Rate limited"),
    UNAVAILABLE("unavailable", 503, "Service unavailable");

    /** Every {@code type} URI is this base followed by the slug. */
    public static final String TYPE_BASE = "https://relay.dev/problems/";

    public static final String MEDIA_TYPE = "application/problem+json";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI type() {
        return URI.create(TYPE_BASE + slug);
    }
}
