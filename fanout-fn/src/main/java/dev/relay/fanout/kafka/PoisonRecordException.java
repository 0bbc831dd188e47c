package dev.relay.fanout.kafka;

/**
 * A record that can never be routed as it is (unparsable, unknown version, incomplete). Expected
 * control flow: no stack trace, and the message never quotes the record's content.
 */
public final class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String reason) {
        super(reason, null, false, false);
    }
}
