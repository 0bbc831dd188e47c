package dev.relay.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time used by each process of a run (the load generator itself, every server and app it
 * started), by role, so a report can say who had the machine's cores while it measured.
 */
final class ProcessCpu {

    private static final Pattern NODE_ID = Pattern.compile("relay\\.edge\\.node-id=([A-Za-z0-9_-]+)");

    /** CPU time so far by role, and when it was taken. */
    record Sample(Map<String, Duration> byRole, long nanoTime) {

        /** Cores used by each role between {@code earlier} and this sample. */
        Map<String, Double> coresSince(Sample earlier) {
            double wall = nanoTime - earlier.nanoTime;
            Map<String, Double> cores = new TreeMap<>();
            byRole.forEach((role, cpu) -> cores.put(role,
                    (cpu.toNanos() - earlier.byRole.getOrDefault(role, Duration.ZERO).toNanos()) / wall));
            return cores;
        }
    }

    private ProcessCpu() {
    }

    static Sample sample() {
        Map<String, Duration> byRole = new TreeMap<>();
        ProcessHandle self = ProcessHandle.current();
        add(byRole, "load generator", self);
        self.descendants().forEach(process -> {
            String role = role(process.info());
            if (role != null) {
                add(byRole, role, process);
            }
        });
        return new Sample(byRole, System.nanoTime());
    }

    /** A markdown table of the cores each role used, and its CPU milliseconds per unit of work. */
    static void report(Report report, Map<String, Double> cores, double unitsPerSecond, String unit) {
        report.line("")
                .line("| process | CPU used (cores of this machine) | CPU ms per " + unit + " |")
                .line("|---|---|---|");
        double total = 0;
        for (Map.Entry<String, Double> role : cores.entrySet()) {
            total += role.getValue();
            report.line("| %s | %.2f | %.1f |".formatted(role.getKey(), role.getValue(), 1000 * role.getValue() / unitsPerSecond));
        }
        report.line("| **all** | **%.2f** of %d | %.1f |".formatted(total, Runtime.getRuntime().availableProcessors(),
                1000 * total / unitsPerSecond));
    }

    private static void add(Map<String, Duration> byRole, String role, ProcessHandle process) {
        process.info().totalCpuDuration().ifPresent(cpu -> byRole.merge(role, cpu, Duration::plus));
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
