package dev.relay.ingest.send;

import dev.relay.contract.wire.SendResult;
import dev.relay.contract.wire.SignalAccepted;

/** What a send came to, for the resource to turn into a status; sealed so every case is answered. */
public sealed interface SendAnswer {

    /** Newly committed (201); published to Kafka, or left to the producer's retries and the repair sweep. */
    record Created(SendResult result) implements SendAnswer {
    }

    /** The key's original answer (200, {@code Idempotent-Replayed: true}). */
    record Replayed(SendResult result) implements SendAnswer {
    }

    /** An at-most-once signal handed to the live path (202). */
    record Signalled(SignalAccepted accepted) implements SendAnswer {
    }
}
