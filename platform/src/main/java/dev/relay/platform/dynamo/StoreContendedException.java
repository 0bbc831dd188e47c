package dev.relay.platform.dynamo;

/**
 * A store write that lost every one of its bounded attempts to concurrent writers (cancelled
 * transactions, unprocessed batch items). Nothing of it is visible; the client retries (503 with
 * {@code Retry-After}). Expected under load, so it carries no stack trace.
 */
public final class StoreContendedException extends RuntimeException {

    public StoreContendedException(String message) {
        super(message, null, false, false);
    }
}
