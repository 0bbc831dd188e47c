package dev.relay.edge.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The edge's meters: connections, what is queued and unacked, pushes, acks, re-sends, closes, push-to-ack time. */
@ApplicationScoped
public class EdgeMetrics {

    private final MeterRegistry registry;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong queuedFrames = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong unacked = new AtomicLong();
    private final Counter pushes;
    private final Counter acks;
    private final Counter resends;
    private final Timer pushToAck;

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("relay.edge.connections", connections, AtomicLong::get)
                .description("open client connections on this node").register(registry);
        Gauge.builder("relay.edge.queued.frames", queuedFrames, AtomicLong::get)
                .description("frames queued or in flight to clients").register(registry);
        Gauge.builder("relay.edge.queued.bytes", queuedBytes, AtomicLong::get)
                .description("characters of frames queued or in flight to clients").baseUnit("bytes").register(registry);
        Gauge.builder("relay.edge.unacked", unacked, AtomicLong::get)
                .description("stored messages pushed and not yet acked").register(registry);
        this.pushes = Counter.builder("relay.edge.pushes").description("frames pushed (first sends)").register(registry);
        this.acks = Counter.builder("relay.edge.acks").description("ack frames received").register(registry);
        this.resends = Counter.builder("relay.edge.resends").description("unacked messages sent again").register(registry);
        this.pushToAck = Timer.builder("relay.edge.push.ack").description("time from first push to ack")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        for (int code : new int[] {CloseCodes.TOKEN_EXPIRED, CloseCodes.TOO_MANY_BAD_FRAMES, CloseCodes.TOO_SLOW,
                CloseCodes.REPLACED, CloseCodes.GOING_AWAY, CloseCodes.IDLE}) {
            closes(code);
        }
    }

    void opened() {
        connections.incrementAndGet();
    }

    void gone() {
        connections.decrementAndGet();
    }

    void queued(long frames, long bytes) {
        queuedFrames.addAndGet(frames);
        queuedBytes.addAndGet(bytes);
    }

    void push() {
        pushes.increment();
    }

    void ack() {
        acks.increment();
    }

    void resend() {
        resends.increment();
    }

    void unackedAdded() {
        unacked.incrementAndGet();
    }

    void unackedDropped(long count) {
        unacked.addAndGet(-count);
    }

    void pushToAck(long millis) {
        pushToAck.record(Duration.ofMillis(millis));
    }

    void closed(int code) {
        closes(code).increment();
    }

    /** Closes this node initiated with {@code code}. */
    public Counter closes(int code) {
        return Counter.builder("relay.edge.closes").tag("code", Integer.toString(code))
                .description("connections this node closed, by close code").register(registry);
    }

    public long connections() {
        return connections.get();
    }

    public long queuedFrames() {
        return queuedFrames.get();
    }

    public long queuedBytes() {
        return queuedBytes.get();
    }
}
