package dev.relay.sync.read;

import dev.relay.contract.wire.Message;

/**
 * How many messages, and roughly how many JSON bytes, one answer may still carry. The first
 * message is always admitted, so every page makes progress however large one message is.
 */
final class PageBudget {

    /** Field names, ids, seq, sentAt and qos of one message as JSON, rounded up. */
    private static final int FIXED_BYTES = 320;

    private final int maxMessages;
    private final long maxBytes;
    private int messages;
    private long bytes;
    private boolean exhausted;

    PageBudget(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Takes {@code message} into the page when it fits; once one does not, none fits any more. */
    boolean admit(Message message) {
        long size = estimate(message);
        if (exhausted || messages >= maxMessages || (messages > 0 && bytes + size > maxBytes)) {
            exhausted = true;
            return false;
        }
        messages++;
        bytes += size;
        return true;
    }

    /** True once a message was refused: the page stopped short of what the plan asked for. */
    boolean exhausted() {
        return exhausted;
    }

    static long estimate(Message message) {
        long size = FIXED_BYTES + utf8Length(message.body()) + message.conversationId().length()
                + message.senderId().length();
        return message.meta() == null ? size : size + utf8Length(message.meta().toString());
    }

    private static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += c < 0x20 || c == '"' || c == '\\' ? 6 : 1; // a JSON escape is at most six characters
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
