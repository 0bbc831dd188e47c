package dev.relay.contract.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Delivery guarantee chosen per message; see DESIGN.md "Delivery guarantees". */
public enum Qos {
    AT_MOST_ONCE("at-most-once"),
    AT_LEAST_ONCE("at-least-once"),
    EXACTLY_ONCE("exactly-once");

    private final String wire;

    Qos(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Stored qos levels get a seq and a place in the log; at-most-once is only pushed. */
    public boolean stored() {
        return this != AT_MOST_ONCE;
    }

    /**
     * Parses the wire form. An unknown value is reported as {@link IllegalArgumentException};
     * Jackson, reading a request, turns it into a 400 malformed-request naming the field.
     */
    @JsonCreator
    public static Qos fromWire(String value) {
        return Arrays.stream(values())
                .filter(q -> q.wire.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown qos '" + value
                        + "': expected exactly-once, at-least-once or at-most-once"));
    }
}
