package dev.relay.ingest.http;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.DevToken;
import dev.relay.contract.wire.DevTokenRequest;
import dev.relay.contract.wire.Ids;
import dev.relay.ingest.config.AuthConfig;
import io.smallrye.jwt.build.Jwt;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Local development only: mints a token for any user, signed with {@code smallrye.jwt.sign.key.location}.
 * Answers 404 like an unknown path unless {@code relay.auth.dev-tokens.enabled=true}.
 */
@Path("/v1/dev/tokens")
@Tag(name = "dev")
public class DevTokenResource {

    private final AuthConfig config;
    private final String issuer;

    public DevTokenResource(AuthConfig config, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.config = config;
        this.issuer = issuer;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mint a development token (only when relay.auth.dev-tokens.enabled=true)")
    @APIResponse(responseCode = "200", description = "A signed token and its expiry")
    @APIResponse(responseCode = "400", description = "malformed-request")
    public DevToken mint(DevTokenRequest request) {
        if (!config.devTokens().enabled()) {
            throw new NotFoundException();
        }
        if (request == null) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "body {\"userId\":…} is required");
        }
        String userId = Ids.requireUserId(request.userId());
        Instant expiresAt = Instant.now().plus(config.devTokens().lifetime()).truncatedTo(ChronoUnit.SECONDS);
        String token = Jwt.issuer(issuer).subject(userId).upn(userId).expiresAt(expiresAt).sign();
        return new DevToken(token, expiresAt);
    }
}
