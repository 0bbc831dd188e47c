package dev.relay.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Caches the JWT and asks the provider again once it is within {@code margin} of its {@code exp}
 * (read from the payload unverified: the server verifies), or after the server refused it (401,
 * 4001). At most one provider call runs at a time; concurrent callers share it.
 */
final class TokenSource {

    private final Supplier<CompletableFuture<String>> provider;
    private final Duration margin;
    private final Clock clock;
    private final ObjectMapper json;
    private String jwt;
    private Instant expiresAt;
    private CompletableFuture<String> pending;

    TokenSource(Supplier<CompletableFuture<String>> provider, Duration margin, Clock clock, ObjectMapper json) {
        this.provider = provider;
        this.margin = margin;
        this.clock = clock;
        this.json = json;
    }

    synchronized CompletableFuture<String> get() {
        if (jwt != null && (expiresAt == null || clock.instant().isBefore(expiresAt.minus(margin)))) {
            return CompletableFuture.completedFuture(jwt);
        }
        return refresh();
    }

    /** Drops the cached token and fetches a new one. */
    synchronized CompletableFuture<String> refresh() {
        if (pending != null) {
            return pending;
        }
        CompletableFuture<String> call;
        try {
            call = provider.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<String> next = call.whenComplete((token, failure) -> settle(token));
        pending = next.isDone() ? null : next;
        return next;
    }

    private synchronized void settle(String token) {
        pending = null;
        if (token != null) {
            jwt = token;
            expiresAt = expiry(token).orElse(null);
        }
    }

    /** How long until the cached token should be replaced, when its expiry is known. */
    synchronized Optional<Duration> refreshIn() {
        if (jwt == null || expiresAt == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), expiresAt.minus(margin));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    private Optional<Instant> expiry(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode exp = claims.path("exp");
            return exp.isNumber() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
