package dev.relay.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/** Thread-safe latency recording in microseconds, reported as percentiles in milliseconds. */
final class Latencies {

    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
    private final Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);

    void recordNanos(long nanos) {
        recorder.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), TimeUnit.SECONDS.toMicros(60)));
    }

    synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    static String percentiles(Histogram h) {
        return "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)".formatted(
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount());
    }
}
