package dev.relay.ingest.config;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.problem.Problem;
import dev.relay.contract.wire.Conversation;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.SendResult;
import dev.relay.contract.wire.SignalAccepted;
import dev.relay.contract.wire.SignalEnvelope;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types ingest writes through its own ObjectMapper (Kafka values, stored idempotent answers,
 * problem bodies written outside Quarkus REST), which a native build would not discover on its own.
 */
@RegisterForReflection(targets = {
        MessageEnvelope.class, SignalEnvelope.class, Message.class, Qos.class,
        ServerFrame.class, ServerFrame.Signal.class, ServerFrame.MessagePush.class,
        SendResult.class, SignalAccepted.class, Conversation.class, Problem.class
})
final class NativeReflection {

    private NativeReflection() {
    }
}
