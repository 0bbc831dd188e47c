package dev.relay.fanout.route;

/**
 * A frame that can never be handed to an edge as it is (it cannot be written as JSON), however often
 * it is retried: {@link RetryGuard} does not retry it, and the consumer dead-letters its record at
 * once. Expected control flow: no stack trace, and the message never quotes the content.
 */
public final class UnroutableFrameException extends RuntimeException {

    public UnroutableFrameException(String reason) {
        super(reason, null, false, false);
    }
}
