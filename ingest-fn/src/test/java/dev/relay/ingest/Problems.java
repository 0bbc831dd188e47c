package dev.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.problem.ProblemType;
import io.restassured.response.Response;

/** Test fixture: checks that an answer is the RFC 9457 problem API.md's error table names. */
final class Problems {

    private Problems() {
    }

    /** Status, {@code application/problem+json}, {@code type} = base + slug, and the body's own status. */
    static Response assertProblem(Response response, ProblemType expected) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(expected.status());
        assertThat(response.contentType()).startsWith(ProblemType.MEDIA_TYPE);
        assertThat(response.<String>path("type")).isEqualTo(ProblemType.TYPE_BASE + expected.slug());
        assertThat(response.<Integer>path("status")).isEqualTo(expected.status());
        assertThat(response.<String>path("title")).isNotBlank();
        assertThat(response.<String>path("instance")).isNotBlank();
        return response;
    }

    /** As {@link #assertProblem}, plus a {@code Retry-After} of whole seconds, at least 1. */
    static long assertRetryable(Response response, ProblemType expected) {
        assertProblem(response, expected);
        String retryAfter = response.header("Retry-After");
        assertThat(retryAfter).as("Retry-After").isNotBlank();
        long seconds = Long.parseLong(retryAfter.trim());
        assertThat(seconds).isPositive();
        return seconds;
    }
}
