package dev.relay.edge.ws;

import dev.relay.contract.wire.Ids;
import dev.relay.edge.config.EdgeConfig;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Authenticates the upgrade of {@code /v1/stream} before it happens: a valid JWT from
 * {@code Authorization: Bearer} or {@code ?access_token=} (browsers cannot set headers), else HTTP
 * 401. While the node drains, upgrades get 503 so clients go to another node. The token itself is
 * never logged or kept; only its subject and expiry are passed to the connection.
 */
@ApplicationScoped
public class TokenUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> USER = UserData.TypedKey.forString("relay.user");
    static final UserData.TypedKey<String> DEVICE = UserData.TypedKey.forString("relay.device");
    static final UserData.TypedKey<Long> EXPIRES_AT = UserData.TypedKey.forLong("relay.token-expires-at");

    private static final Logger LOG = Logger.getLogger(TokenUpgradeCheck.class);
    private static final String BEARER = "Bearer ";
    private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer"));

    private final JWTParser parser;
    private final NodeDrain drain;
    private final String defaultDevice;

    public TokenUpgradeCheck(JWTParser parser, NodeDrain drain, EdgeConfig config) {
        this.parser = parser;
        this.drain = drain;
        this.defaultDevice = config.defaultDevice();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (drain.draining()) {
            return CheckResult.rejectUpgrade(503, Map.of("Retry-After", List.of("1")));
        }
        HttpServerRequest request = context.httpRequest();
        String token = token(request);
        if (token == null) {
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException invalidOrExpired) {
            LOG.debugf("upgrade refused: %s", invalidOrExpired.getMessage());
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        if (!Ids.isUserId(jwt.getSubject()) || jwt.getExpirationTime() <= 0) {
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        String device = request.getParam("device");
        if (device == null) {
            device = defaultDevice;
        } else if (!Ids.isDeviceId(device)) {
            return CheckResult.rejectUpgrade(400);
        }
        UserData data = context.userData();
        data.put(USER, jwt.getSubject());
        data.put(DEVICE, device);
        data.put(EXPIRES_AT, jwt.getExpirationTime() * 1000L);
        return CheckResult.permitUpgrade();
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
