package dev.relay.fanout.config;

import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.SignalEnvelope;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Wire types fanout reads and writes only through its own ObjectMapper (Kafka values, Redis
 * payloads), which a native build would not discover on its own.
 */
@RegisterForReflection(targets = {
        MessageEnvelope.class, SignalEnvelope.class, Message.class, Qos.class,
        EdgeCommand.class, EdgeCommand.Deliver.class, EdgeCommand.Fence.class,
        ServerFrame.class, ServerFrame.MessagePush.class, ServerFrame.Signal.class, ServerFrame.Receipt.class,
        ServerFrame.Hello.class, ServerFrame.Resync.class, ServerFrame.Draining.class, ServerFrame.Pong.class,
        ServerFrame.Error.class
})
final class NativeReflection {

    private NativeReflection() {
    }
}
