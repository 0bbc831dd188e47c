package dev.relay.edge.config;

import dev.relay.contract.frame.ClientFrame;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Contract types this app reads and writes only through Jackson, kept for the native image. */
@RegisterForReflection(targets = {
        ServerFrame.class, ServerFrame.Hello.class, ServerFrame.MessagePush.class, ServerFrame.Signal.class,
        ServerFrame.Receipt.class, ServerFrame.Resync.class, ServerFrame.Draining.class, ServerFrame.Pong.class,
        ServerFrame.Error.class,
        ClientFrame.class, ClientFrame.Ack.class, ClientFrame.Ping.class,
        EdgeCommand.class, EdgeCommand.Deliver.class, EdgeCommand.Fence.class,
        Message.class, Qos.class})
public final class JsonReflection {

    private JsonReflection() {
    }
}
