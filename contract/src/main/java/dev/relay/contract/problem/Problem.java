package dev.relay.contract.problem;

import java.net.URI;

/** An RFC 9457 problem document ({@code application/problem+json}). */
public record Problem(URI type, String title, int status, String detail, String instance) {

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.type(), type.title(), type.status(), detail, instance);
    }
}
