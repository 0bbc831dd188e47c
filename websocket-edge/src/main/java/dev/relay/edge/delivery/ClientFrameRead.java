package dev.relay.edge.delivery;

import dev.relay.contract.frame.ClientFrame;

/** What one client text frame turned out to be: a frame to act on, or a mistake to answer with {@code error}. */
public sealed interface ClientFrameRead {

    record Valid(ClientFrame frame) implements ClientFrameRead {
    }

    /** @param code the {@code error} frame's code; @param detail what was expected */
    record Bad(String code, String detail) implements ClientFrameRead {
    }
}
