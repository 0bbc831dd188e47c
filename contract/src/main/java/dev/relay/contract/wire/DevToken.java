package dev.relay.contract.wire;

import java.time.Instant;

/** A development token and when it expires. */
public record DevToken(String token, Instant expiresAt) {
}
