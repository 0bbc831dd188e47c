package dev.relay.testing;

import dev.relay.contract.problem.ProblemType;
import io.restassured.response.Response;

/** What API.md requires of every answer to a request a client got wrong. */
public final class ProblemAnswers {

    private ProblemAnswers() {
    }

    /**
     * Null when the answer is fine: below 400, or a 4xx {@code application/problem+json} whose
     * {@code type} is a slug of API.md with that slug's status ({@code malformed-request} may come
     * with any 4xx). Otherwise what is wrong with it.
     */
    public static String violation(Response answer) {
        int status = answer.statusCode();
        if (status < 400) {
            return null;
        }
        if (status >= 500) {
            return status + " " + answer.asString();
        }
        String type = answer.contentType();
        if (type == null || !type.startsWith(ProblemType.MEDIA_TYPE)) {
            return status + " with content type " + type;
        }
        String slug = answer.<String>path("type");
        for (ProblemType known : ProblemType.values()) {
            if ((ProblemType.TYPE_BASE + known.slug()).equals(slug)
                    && (known.status() == status || known == ProblemType.MALFORMED_REQUEST)) {
                return null;
            }
        }
        return status + " with type " + slug;
    }
}
