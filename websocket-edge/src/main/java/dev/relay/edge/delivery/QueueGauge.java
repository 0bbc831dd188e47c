package dev.relay.edge.delivery;

/** Where an {@link OutboundQueue} reports what it holds: changes of its frame and character counts. */
@FunctionalInterface
interface QueueGauge {

    /** The queue's counts changed by {@code frames} frames and {@code chars} characters (negative: released). */
    void queued(long frames, long chars);
}
