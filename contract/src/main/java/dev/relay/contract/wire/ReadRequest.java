package dev.relay.contract.wire;

/** Body of {@code POST /v1/conversations/{id}/read}; a lower seq than the current one is ignored. */
public record ReadRequest(Long seq) {
}
