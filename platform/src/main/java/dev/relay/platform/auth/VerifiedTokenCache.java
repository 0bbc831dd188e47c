package dev.relay.platform.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers tokens whose signature and claims were verified, so a client that sends the same bearer
 * token on every request (as clients do for its whole lifetime) costs one RSA check, not one per
 * request. Keyed by the whole token text: any other byte, signature included, is a different token
 * and is verified in full.
 *
 * <p>Invariants: a token is answered from here only while the clock is before its {@code exp} and
 * within {@link #MAX_AGE} of its verification; after that the verifier decides again, with its own
 * rules (clock skew included), exactly as without this cache. At most {@link #MAX_ENTRIES} tokens are
 * held; when full, the cache starts over.
 */
@Decorator
@Priority(10)
public abstract class VerifiedTokenCache implements JWTParser {

    static final int MAX_ENTRIES = 10_000;
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private record Verified(JsonWebToken token, long usableUntilMillis) {
    }

    private final JWTParser verifier;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Counter fromCache;
    private final Counter checked;

    @Inject
    protected VerifiedTokenCache(@Delegate @Any JWTParser verifier, MeterRegistry registry) {
        this.verifier = verifier;
        this.fromCache = Counter.builder("relay.auth.tokens").tag("by", "cache")
                .description("Bearer tokens accepted from the verified-token cache").register(registry);
        this.checked = Counter.builder("relay.auth.tokens").tag("by", "verifier")
                .description("Bearer tokens checked in full (signature and claims)").register(registry);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = clock.millis();
        Verified known = verified.get(token);
        if (known != null && now < known.usableUntilMillis()) {
            fromCache.increment();
            return known.token();
        }
        checked.increment();
        JsonWebToken parsed = verifier.parse(token);
        long expiresMillis = parsed.getExpirationTime() * 1000;
        if (expiresMillis > now) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(token, new Verified(parsed, Math.min(expiresMillis, now + MAX_AGE.toMillis())));
        } else if (known != null) {
            verified.remove(token);
        }
        return parsed;
    }
}
