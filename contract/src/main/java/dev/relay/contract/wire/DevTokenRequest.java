package dev.relay.contract.wire;

/** Body of {@code POST /v1/dev/tokens} (local development only). */
public record DevTokenRequest(String userId) {
}
