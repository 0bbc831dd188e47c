package dev.relay.edge.delivery;

import java.util.concurrent.CompletionStage;

/**
 * What the end of a connection releases outside it: its registry entries, its user's membership
 * count, its presence entry. {@link EdgeConnection} calls it exactly once per connection, however
 * the connection ends, and never under the connection's lock (the registries take their own locks
 * and call connections under them).
 */
@FunctionalInterface
public interface ConnectionRelease {

    /** Completes when the release is done, or failed without consequence (a presence entry expires). */
    CompletionStage<Void> release(EdgeConnection connection);
}
