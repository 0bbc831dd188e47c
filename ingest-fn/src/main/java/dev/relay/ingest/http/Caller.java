package dev.relay.ingest.http;

import dev.relay.contract.wire.Ids;
import io.quarkus.security.UnauthorizedException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The authenticated user: the token's {@code sub}, which must be a valid user id. */
final class Caller {

    private Caller() {
    }

    static String userId(JsonWebToken token) {
        String subject = token == null ? null : token.getSubject();
        if (!Ids.isUserId(subject)) {
            throw new UnauthorizedException("token subject is not a user id");
        }
        return subject;
    }
}
