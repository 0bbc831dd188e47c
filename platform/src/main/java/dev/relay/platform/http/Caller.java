package dev.relay.platform.http;

import dev.relay.contract.wire.Ids;
import io.quarkus.security.UnauthorizedException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated user of an HTTP call: the token's {@code sub}, which must be a user id
 * (API.md "Auth": 1-64 chars {@code [A-Za-z0-9._@-]}); any other subject is 401, in every app.
 */
public final class Caller {

    private Caller() {
    }

    public static String userId(JsonWebToken token) {
        String subject = token == null ? null : token.getSubject();
        if (!Ids.isUserId(subject)) {
            throw new UnauthorizedException("token subject is not a user id");
        }
        return subject;
    }
}
