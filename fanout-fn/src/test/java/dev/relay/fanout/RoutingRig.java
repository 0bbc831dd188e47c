package dev.relay.fanout;

import dev.relay.localstack.LocalStack;
import io.quarkus.arc.Arc;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Everything around fanout in a test, on the shared real servers: an envelope producer on Kafka,
 * presence writes on Redis, a reader of the dead-letter topic and listening edge nodes. The
 * dead-letter reader takes its mark before each test, so it sees every dead letter the test causes;
 * the other parts open on first use. Everything opened is closed after each test.
 * Use: {@code @RegisterExtension final RoutingRig rig = new RoutingRig();}
 */
final class RoutingRig implements BeforeEachCallback, AfterEachCallback {

    private final LocalStack stack = LocalStack.shared();
    private final List<EdgeListener> listeners = new ArrayList<>();
    private EnvelopeProducer producer;
    private PresenceWriter presence;
    private DeadLetterReader deadLetters;

    EnvelopeProducer producer() {
        if (producer == null) {
            producer = new EnvelopeProducer(stack.kafka().bootstrapServers());
        }
        return producer;
    }

    PresenceWriter presence() {
        if (presence == null) {
            presence = new PresenceWriter(vertx(), stack.redis().url());
        }
        return presence;
    }

    /** Dead letters written since this test began. */
    DeadLetterReader deadLetters() {
        return deadLetters;
    }

    /** Plays an edge node subscribed to these channels, on one Redis connection. */
    EdgeListener listen(String... channels) {
        EdgeListener listener = EdgeListener.subscribe(vertx(), stack.redis().url(), channels);
        listeners.add(listener);
        return listener;
    }

    /** Closes the Redis connections (presence, listeners); the next use opens new ones. */
    void closeRedisClients() {
        listeners.forEach(EdgeListener::close);
        listeners.clear();
        if (presence != null) {
            presence.close();
            presence = null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        deadLetters = new DeadLetterReader(stack.kafka().bootstrapServers());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeRedisClients();
        if (deadLetters != null) {
            deadLetters.close();
            deadLetters = null;
        }
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    private static Vertx vertx() {
        return Arc.container().instance(Vertx.class).get();
    }
}
