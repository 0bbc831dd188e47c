package dev.relay.edge.delivery;

import io.quarkus.websockets.next.WebSocketConnection;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Writes one connection's {@link OutboundQueue} to its socket, never more frames at once than the
 * queue's in-flight window. Not thread-safe: its connection calls it under its own lock, and a
 * write's completion (success or failure alike) goes to {@code completions}, which takes that lock
 * before calling {@link #written}. After {@link #stop} it queues and writes nothing more.
 */
final class SocketWriter {

    private static final Logger LOG = Logger.getLogger(SocketWriter.class);

    private final WebSocketConnection socket;
    private final OutboundQueue queue;
    private final Consumer<String> completions;
    private boolean pumping;
    private boolean stopped;

    SocketWriter(WebSocketConnection socket, OutboundQueue queue, Consumer<String> completions) {
        this.socket = socket;
        this.queue = queue;
        this.completions = completions;
    }

    /** Queues a frame and writes what the window allows; false on overflow (the caller closes with 4009). */
    boolean offer(String text, String conversationId) {
        if (!queue.offer(text, conversationId)) {
            return false;
        }
        pump();
        return true;
    }

    /** A frame handed to the socket was written, or failed: it leaves the window, the next may go. */
    void written(String text) {
        if (stopped) {
            return;
        }
        queue.written(text);
        pump();
    }

    void dropConversation(String conversationId) {
        queue.dropConversation(conversationId);
    }

    /** Drops everything queued or in flight; later completions change nothing. */
    void stop() {
        stopped = true;
        queue.clear();
    }

    /** Hands queued frames to the socket while the in-flight window allows; re-entrant safe. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            String next;
            while (!stopped && (next = queue.nextToWrite()) != null) {
                String text = next;
                socket.sendText(text).subscribe().with(ok -> completions.accept(text), failure -> {
                    LOG.debugf("writing a frame to %s failed: %s", socket.id(), failure.getMessage());
                    completions.accept(text);
                });
            }
        } finally {
            pumping = false;
        }
    }
}
