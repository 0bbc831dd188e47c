package dev.relay.contract.wire;

/** Body of {@code POST /v1/conversations/{id}/members}. */
public record AddMemberRequest(String userId) {
}
