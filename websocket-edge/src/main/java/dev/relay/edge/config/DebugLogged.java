package dev.relay.edge.config;

import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The failure handler of a best-effort asynchronous call (closing a socket that may be gone, a
 * presence write the next refresh repeats): not an error, but never silent — logged at debug with
 * what was attempted.
 */
public final class DebugLogged {

    private DebugLogged() {
    }

    public static Consumer<Throwable> failure(Logger log, String attempted) {
        return failure -> log.debugf("%s failed: %s", attempted, failure.getMessage());
    }
}
