package dev.relay.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time used by each process of a run (the load generator itself, every server and app it
 * started), by role, so a report can say who had the machine's cores while it measured; and, where
 * Linux's {@code /proc} shows threads, how much of it the JIT compiler threads took, so a report
 * can show that nothing was still warming up while it measured.
 */
final class ProcessCpu {

    private static final Pattern NODE_ID = Pattern.compile("relay\\.edge\\.node-id=([A-Za-z0-9_-]+)");
    /** HotSpot names its compiler threads "C1 CompilerThread0", "C2 CompilerThread1"… (truncated to 15 chars in comm). */
    private static final Pattern JIT_THREAD = Pattern.compile("C[12] CompilerThre.*");
    /** The unit of utime/stime in /proc/…/stat: USER_HZ, 100 on every Linux architecture Java runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** CPU time so far by role, of which JIT compiling (empty where /proc has no threads), and when it was taken. */
    record Sample(Map<String, Duration> byRole, Map<String, Duration> jitByRole, long nanoTime) {

        /** Cores used by each role between {@code earlier} and this sample. */
        Map<String, Double> coresSince(Sample earlier) {
            return since(byRole, earlier.byRole, earlier);
        }

        /** Cores each role's JIT compiler threads used between {@code earlier} and this sample; empty if unknown. */
        Map<String, Double> jitCoresSince(Sample earlier) {
            return since(jitByRole, earlier.jitByRole, earlier);
        }

        private Map<String, Double> since(Map<String, Duration> now, Map<String, Duration> then, Sample earlier) {
            double wall = nanoTime - earlier.nanoTime;
            Map<String, Double> cores = new TreeMap<>();
            now.forEach((role, cpu) -> cores.put(role,
                    (cpu.toNanos() - then.getOrDefault(role, Duration.ZERO).toNanos()) / wall));
            return cores;
        }
    }

    private ProcessCpu() {
    }

    static Sample sample() {
        Map<String, Duration> byRole = new TreeMap<>();
        Map<String, Duration> jitByRole = new TreeMap<>();
        ProcessHandle self = ProcessHandle.current();
        add(byRole, jitByRole, "load generator", self);
        self.descendants().forEach(process -> {
            String role = role(process.info());
            if (role != null) {
                add(byRole, jitByRole, role, process);
            }
        });
        return new Sample(byRole, jitByRole, System.nanoTime());
    }

    /**
     * A markdown table of the cores each role used (and of them, its JIT compiler's, when known),
     * and its CPU milliseconds per unit of work.
     */
    static void report(Report report, Map<String, Double> cores, Map<String, Double> jitCores,
                       double unitsPerSecond, String unit) {
        boolean jit = !jitCores.isEmpty();
        report.line("")
                .line("| process | CPU used (cores of this machine) |" + (jit ? " of which JIT compiling |" : "")
                        + " CPU ms per " + unit + " |")
                .line(jit ? "|---|---|---|---|" : "|---|---|---|");
        double total = 0;
        double totalJit = 0;
        for (Map.Entry<String, Double> role : cores.entrySet()) {
            double roleJit = jitCores.getOrDefault(role.getKey(), 0.0);
            total += role.getValue();
            totalJit += roleJit;
            report.line("| %s | %.2f |%s %.1f |".formatted(role.getKey(), role.getValue(),
                    jit ? " %.2f |".formatted(roleJit) : "", 1000 * role.getValue() / unitsPerSecond));
        }
        report.line("| **all** | **%.2f** of %d |%s %.1f |".formatted(total, Runtime.getRuntime().availableProcessors(),
                jit ? " %.2f |".formatted(totalJit) : "", 1000 * total / unitsPerSecond));
    }

    private static void add(Map<String, Duration> byRole, Map<String, Duration> jitByRole, String role,
                            ProcessHandle process) {
        process.info().totalCpuDuration().ifPresent(cpu -> byRole.merge(role, cpu, Duration::plus));
        jitCpu(process.pid()).ifPresent(cpu -> jitByRole.merge(role, cpu, Duration::plus));
    }

    /** CPU time of the process's JIT compiler threads, from /proc; empty where that cannot be read. */
    private static Optional<Duration> jitCpu(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                ticks += jitTicks(thread);
            }
        } catch (IOException | UncheckedIOException gone) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(ticks * NANOS_PER_TICK));
    }

    /** utime + stime of one thread if it is a compiler thread, else 0; a thread that ended meanwhile counts 0. */
    private static long jitTicks(Path thread) {
        try {
            if (!JIT_THREAD.matcher(Files.readString(thread.resolve("comm")).strip()).matches()) {
                return 0;
            }
            String stat = Files.readString(thread.resolve("stat"));
            // Fields after "(comm) ": state is field 3 of stat(5), utime 14 and stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException ended) {
            return 0;
        }
    }

    /** Null for processes that are not a server or an app (the watchdog shells, for one). */
    private static String role(ProcessHandle.Info info) {
        String command = info.command().orElse("");
        String args = String.join(" ", info.arguments().map(List::of).orElse(List.of()));
        if (command.endsWith("redis-server")) {
            return "redis-server";
        }
        if (!command.endsWith("java")) {
            return null;
        }
        for (String app : List.of("ingest-fn", "fanout-fn", "sync-fn")) {
            if (args.contains(app)) {
                return app;
            }
        }
        if (args.contains("websocket-edge")) {
            Matcher node = NODE_ID.matcher(args);
            return node.find() ? "websocket-edge " + node.group(1) : "websocket-edge";
        }
        if (args.contains("kafka.Kafka")) {
            return "kafka";
        }
        if (args.contains("dynamodb.services.local")) {
            return "dynamodb-local";
        }
        return null;
    }
}
