package dev.relay.contract.wire;

import java.util.List;

/** Answer to {@code GET /v1/conversations}; {@code cursor} is opaque and null on the last page. */
public record InboxPage(List<InboxEntry> conversations, String cursor) {
}
