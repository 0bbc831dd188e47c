package dev.relay.localstack;

/**
 * A real server run as a child process on a fixed port. {@link #stop()} then {@link #start()} brings
 * it back on the same port, which is how tests prove that health follows a store going away.
 */
public interface LocalServer {

    String name();

    /** Starts the process and returns once it answers; a no-op when already running. */
    void start();

    /** Stops the process and returns once it has exited; a no-op when not running. */
    void stop();

    /**
     * SIGKILL, as a crash would end it (no shutdown, nothing flushed by the server itself); returns
     * once it has exited. Its data directory stays, so {@link #start()} brings back what it had
     * written (Kafka, persistent DynamoDB Local). A no-op when not running.
     */
    void kill();

    boolean running();
}
