package dev.relay.contract.wire;

import java.util.List;

/** Body of {@code POST /v1/conversations}. The caller is always added; duplicates are ignored. */
public record CreateConversationRequest(List<String> members, String title) {

    public static final int MAX_MEMBERS = 10_000;
}
