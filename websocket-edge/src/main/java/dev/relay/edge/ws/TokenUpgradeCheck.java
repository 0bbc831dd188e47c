package dev.relay.edge.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.problem.Problem;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.wire.Ids;
import dev.relay.edge.config.EdgeConfig;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.redis.PresenceRegistry;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Authenticates the upgrade of {@code /v1/stream} before it happens: a valid JWT from
 * {@code Authorization: Bearer} or {@code ?access_token=} (browsers cannot set headers), else HTTP
 * 401. While the node drains, upgrades get 503 so clients go to another node. A user already at
 * {@code max-connections-per-user} devices gets 429: counted on this node first, then fleet-wide
 * through presence (an atomic admit that also reserves the device). The token itself is never
 * logged or kept; only its subject and expiry are passed to the connection.
 *
 * <p>Every refusal carries an RFC 9457 problem document. The extension's own refusal can only end
 * the response empty, so this check writes the refusal itself and never completes its answer (the
 * request is finished: nothing waits on it).
 */
@ApplicationScoped
public class TokenUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> USER = UserData.TypedKey.forString("relay.user");
    static final UserData.TypedKey<String> DEVICE = UserData.TypedKey.forString("relay.device");
    static final UserData.TypedKey<Long> EXPIRES_AT = UserData.TypedKey.forLong("relay.token-expires-at");

    private static final Logger LOG = Logger.getLogger(TokenUpgradeCheck.class);
    private static final String BEARER = "Bearer ";
    private static final String PATH = "/v1/stream";
    private static final Duration ADMIT_TIMEOUT = Duration.ofSeconds(2);

    private final JWTParser parser;
    private final NodeDrain drain;
    private final ConnectionRegistry connections;
    private final PresenceRegistry presence;
    private final ObjectMapper json;
    private final String defaultDevice;
    private final int maxConnections;

    public TokenUpgradeCheck(JWTParser parser, NodeDrain drain, ConnectionRegistry connections, PresenceRegistry presence,
                             ObjectMapper json, EdgeConfig config) {
        this.parser = parser;
        this.drain = drain;
        this.connections = connections;
        this.presence = presence;
        this.json = json;
        this.defaultDevice = config.defaultDevice();
        this.maxConnections = config.maxConnectionsPerUser();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        try {
            return check(context, request);
        } catch (RuntimeException unreadable) {
            // e.g. a query string that does not decode: the client's mistake, never a 500.
            LOG.debugf("upgrade refused: %s", unreadable.getClass().getSimpleName());
            return refuse(request, ProblemType.MALFORMED_REQUEST, "the upgrade request cannot be read", Map.of());
        }
    }

    private Uni<CheckResult> check(HttpUpgradeContext context, HttpServerRequest request) {
        if (drain.draining()) {
            return refuse(request, ProblemType.UNAVAILABLE, "this node is shutting down; connect again",
                    Map.of("Retry-After", "1"));
        }
        String token = token(request);
        if (token == null) {
            return unauthorized(request, "a bearer token is required");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException invalidOrExpired) {
            LOG.debugf("upgrade refused: %s", invalidOrExpired.getMessage());
            return unauthorized(request, "the token is invalid or expired");
        } catch (RuntimeException unreadable) {
            LOG.debugf("upgrade refused: %s", unreadable.getClass().getSimpleName());
            return unauthorized(request, "the token is invalid or expired");
        }
        if (!Ids.isUserId(jwt.getSubject()) || jwt.getExpirationTime() <= 0) {
            return unauthorized(request, "the token is invalid or expired");
        }
        String user = jwt.getSubject();
        String device = request.getParam("device");
        if (device == null) {
            device = defaultDevice;
        } else if (!Ids.isDeviceId(device)) {
            return refuse(request, ProblemType.MALFORMED_REQUEST, "device must be 1-64 characters [A-Za-z0-9._-]", Map.of());
        }
        if (atLocalLimit(user, device)) {
            return tooManyConnections(request);
        }
        UserData data = context.userData();
        data.put(USER, user);
        data.put(DEVICE, device);
        data.put(EXPIRES_AT, jwt.getExpirationTime() * 1000L);
        return presence.admit(user, device, maxConnections)
                .ifNoItem().after(ADMIT_TIMEOUT).fail()
                .onFailure().recoverWithItem(failure -> {
                    // Presence unreachable: this node's own count still holds.
                    LOG.debugf("connection count unknown, admitted: %s", failure.getMessage());
                    return true;
                })
                .flatMap(admitted -> admitted ? CheckResult.permitUpgrade() : tooManyConnections(request));
    }

    /** This node alone already holds the limit of the user's devices, none of them this one. */
    private boolean atLocalLimit(String user, String device) {
        var local = connections.ofUser(user);
        if (local.size() < maxConnections) {
            return false;
        }
        var devices = local.stream().map(EdgeConnection::device).collect(java.util.stream.Collectors.toSet());
        return !devices.contains(device) && devices.size() >= maxConnections;
    }

    private Uni<CheckResult> tooManyConnections(HttpServerRequest request) {
        return refuse(request, ProblemType.RATE_LIMITED,
                "at most " + maxConnections + " connections per user; close one first", Map.of());
    }

    private Uni<CheckResult> unauthorized(HttpServerRequest request, String detail) {
        return refuse(request, ProblemType.UNAUTHORIZED, detail, Map.of("WWW-Authenticate", "Bearer"));
    }

    private Uni<CheckResult> refuse(HttpServerRequest request, ProblemType type, String detail, Map<String, String> headers) {
        String body;
        try {
            body = json.writeValueAsString(Problem.of(type, detail, PATH));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem documents always serialize", e);
        }
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return Uni.createFrom().nothing();
        }
        response.setStatusCode(type.status()).putHeader("Content-Type", ProblemType.MEDIA_TYPE);
        headers.forEach(response::putHeader);
        response.end(body);
        return Uni.createFrom().nothing();
    }

    private static String token(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = header.substring(BEARER.length()).trim();
            return token.isEmpty() ? null : token;
        }
        String query = request.getParam("access_token");
        return query == null || query.isBlank() ? null : query;
    }
}
