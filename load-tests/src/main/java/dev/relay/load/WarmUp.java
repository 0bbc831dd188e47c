package dev.relay.load;

import java.time.Duration;

/**
 * Runs a benchmark's own load, unmeasured, until the JVMs it drives have finished compiling it: a
 * JVM's throughput is not its steady state while its JIT compiler threads still take CPU (on this
 * 2-core machine C2 took 0.2–0.35 core for the first two minutes of ingest-fn under load, and the
 * sends ran 20 % slower). Where the compiler threads cannot be seen (no Linux {@code /proc}) it
 * runs for the longest time it was given.
 */
final class WarmUp {

    /** Settled: all JIT compiler threads of the run together used less than this during a slice. */
    static final double SETTLED_JIT_CORES = 0.05;
    private static final Duration SLICE = Duration.ofSeconds(15);

    /** A benchmark's load, run for the given time. */
    @FunctionalInterface
    interface Load {
        void run(Duration duration) throws Exception;
    }

    /** How long the warm-up ran, and the JIT compilers' cores in its last slice (NaN if unknown). */
    record Result(Duration elapsed, double lastSliceJitCores) {

        boolean settled() {
            return lastSliceJitCores < SETTLED_JIT_CORES;
        }

        String describe() {
            if (Double.isNaN(lastSliceJitCores)) {
                return "%d s (JIT activity not visible here)".formatted(elapsed.toSeconds());
            }
            return "%d s, until the JIT compilers of all processes used %.2f core over %d s%s".formatted(
                    elapsed.toSeconds(), lastSliceJitCores, SLICE.toSeconds(), settled() ? "" : " (the cap; not settled)");
        }
    }

    private WarmUp() {
    }

    /** Runs {@code load} in slices until the JIT compilers have settled, at most {@code max}. */
    static Result until(Duration max, Load load) throws Exception {
        long start = System.nanoTime();
        double jit = Double.NaN;
        while (true) {
            Duration left = max.minusNanos(System.nanoTime() - start);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            Duration slice = left.compareTo(SLICE) < 0 ? left : SLICE;
            ProcessCpu.Sample before = ProcessCpu.sample();
            load.run(slice);
            var jitCores = ProcessCpu.sample().jitCoresSince(before);
            if (jitCores.isEmpty()) {
                continue;
            }
            jit = jitCores.values().stream().mapToDouble(Double::doubleValue).sum();
            if (jit < SETTLED_JIT_CORES) {
                break;
            }
        }
        return new Result(Duration.ofNanos(System.nanoTime() - start), jit);
    }
}
