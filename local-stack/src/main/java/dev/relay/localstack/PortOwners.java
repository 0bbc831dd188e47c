package dev.relay.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a TCP port can be listened on, and if not, who listens on it: from {@code /proc/net/tcp*}
 * (the socket's inode and uid) and {@code /proc/<pid>/fd} (which process holds that socket). Best
 * effort: another user's processes cannot be looked into, so those are named by uid only.
 */
final class PortOwners {

    private static final String LISTEN = "0A";

    private PortOwners() {
    }

    /** True when a server could bind the port on every interface now. */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** "pid 123 (redis-server *:6379)", "a process of uid 1000", or "an unknown process". */
    static String owner(int port) {
        return listening(port).map(socket -> holder(link(socket)).orElse("a process of uid " + socket[7]))
                .orElse("an unknown process");
    }

    /**
     * False only when the port is seen listening and {@code pid} does not hold it: a server that
     * answers there is another process (one that took the port between its choice and our bind).
     * True when {@code pid} holds it, or when the socket tables cannot tell.
     */
    static boolean notHeldByAnother(int port, long pid) {
        return listening(port).map(socket -> holds(Path.of("/proc", Long.toString(pid)), link(socket))).orElse(true);
    }

    private static Optional<String[]> listening(int port) {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String[] socket : listeningSockets(Path.of(table))) {
                if (portOf(socket[1]) == port) {
                    return Optional.of(socket);
                }
            }
        }
        return Optional.empty();
    }

    private static String link(String[] socket) {
        return "socket:[" + socket[9] + "]";
    }

    private static List<String[]> listeningSockets(Path table) {
        try (Stream<String> lines = Files.lines(table, StandardCharsets.US_ASCII)) {
            return lines.skip(1).map(line -> line.trim().split("\\s+"))
                    .filter(fields -> fields.length > 9 && fields[3].equals(LISTEN)).toList();
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    private static int portOf(String localAddress) {
        return Integer.parseInt(localAddress.substring(localAddress.indexOf(':') + 1), 16);
    }

    private static Optional<String> holder(String socketLink) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> holds(p, socketLink))
                    .findFirst()
                    .map(p -> "pid " + p.getFileName() + " (" + commandLine(p) + ")");
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static boolean holds(Path process, String socketLink) {
        try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(socketLink);
                } catch (IOException | RuntimeException gone) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException notOurs) {
            return false;
        }
    }

    private static String commandLine(Path process) {
        try {
            List<String> args = List.of(new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                    .split("\0"));
            String line = String.join(" ", summary(args));
            return line.length() > 160 ? line.substring(0, 157) + "..." : line;
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** A java command as "java [-jar] what it runs ARGS" (its options say little); others as they are. */
    static List<String> summary(List<String> args) {
        if (args.isEmpty() || !Path.of(args.getFirst()).getFileName().toString().equals("java")) {
            return args;
        }
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-jar") && i + 1 < args.size()) {
                return java(args.subList(i, args.size()));
            }
            if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
                i++;
            } else if (!arg.startsWith("-")) {
                return java(args.subList(i, args.size()));
            }
        }
        return args;
    }

    private static List<String> java(List<String> rest) {
        List<String> summary = new java.util.ArrayList<>();
        summary.add("java");
        summary.addAll(rest);
        return summary;
    }
}
