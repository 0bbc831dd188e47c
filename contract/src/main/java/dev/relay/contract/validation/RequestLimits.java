package dev.relay.contract.validation;

/**
 * The size and shape limits of API.md every HTTP app enforces on what clients send (docs/limits.md
 * lists them with their answers). A violation is refused before anything is written.
 */
public final class RequestLimits {

    private RequestLimits() {
    }

    /** Largest request body of any HTTP call, in bytes (413 payload-too-large above). */
    public static final int MAX_REQUEST_BYTES = 96 * 1024;

    /** Largest message {@code body}, in bytes of UTF-8 (413 payload-too-large above). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /**
     * Largest {@code meta}, in bytes of its compact JSON as UTF-8, escapes as Jackson writes them and
     * a character outside the BMP as its 4 bytes (400 malformed-request above).
     */
    public static final int MAX_META_BYTES = 4 * 1024;

    /** Deepest {@code meta}: the object itself is level 1, each nested object or array one more (400 above). */
    public static final int MAX_META_DEPTH = 8;

    /**
     * Deepest JSON any request may nest, counted by the parser (400 above). Well above every
     * request shape Relay has (meta inside a send is at most 9), and far below what could make
     * a parser, a store or a reader struggle.
     */
    public static final int MAX_JSON_DEPTH = 32;
}
