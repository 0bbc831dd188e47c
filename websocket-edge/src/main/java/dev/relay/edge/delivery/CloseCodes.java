package dev.relay.edge.delivery;

/** Close codes of the stream, as API.md lists them. */
public final class CloseCodes {

    private CloseCodes() {
    }

    /** Silent past 2 x heartbeatSeconds (a standard normal closure: the client just reconnects). */
    public static final int IDLE = 1000;
    /** After {@code draining}: the node is going away. */
    public static final int GOING_AWAY = 1001;
    /** A client text frame over 16 KiB (standard "message too big"). */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** A failure on the server's side (standard "internal error"); never a client's doing. */
    public static final int SERVER_ERROR = 1011;
    public static final int TOKEN_EXPIRED = 4001;
    public static final int TOO_MANY_BAD_FRAMES = 4008;
    public static final int TOO_SLOW = 4009;
    public static final int REPLACED = 4010;
}
