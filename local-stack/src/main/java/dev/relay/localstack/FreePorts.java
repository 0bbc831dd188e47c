package dev.relay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on the loopback interface that nothing listens on at the moment of asking, chosen outside the kernel's
 * ephemeral range.
 *
 * <p>A port the kernel handed out for {@code bind(0)} is an ephemeral one: once that socket closes, the kernel may give
 * the same port to any process's next outgoing connection, and the server meant to listen on it then fails with
 * "Address already in use". A port
 * below the ephemeral range is never given to an outgoing connection, so only another explicit bind can take it; the
 * choice is random so that two processes choosing at once rarely meet, and this JVM never hands out a port twice.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final int HIGHEST = 65_535;
    private static final int ENOUGH = 1_000;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final Range OUTSIDE_EPHEMERAL = rangeOutside(ephemeralRange());

    private FreePorts() {
    }

    public static int next() {
        if (OUTSIDE_EPHEMERAL != null) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = OUTSIDE_EPHEMERAL.random();
                if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        return anyEphemeral();
    }

    /** The given port, or a free one when it is 0. */
    static int orFree(int port) {
        return port == 0 ? next() : port;
    }

    /** Whether something accepts TCP connections on the loopback port right now. */
    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** The kernel's ephemeral range, or null where it cannot be read (not Linux). */
    static Range ephemeralRange() {
        try {
            // Read as lines: Files.readString of this /proc file returns only its first byte on JDK 25.
            String[] bounds = Files.readAllLines(EPHEMERAL_RANGE).getFirst().trim().split("\\s+");
            return new Range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** The larger of the ranges below and above the ephemeral one, or null when neither holds enough ports. */
    static Range rangeOutside(Range ephemeral) {
        if (ephemeral == null) {
            return null;
        }
        Range below = new Range(LOWEST, ephemeral.first() - 1);
        Range above = new Range(ephemeral.last() + 1, HIGHEST);
        Range larger = below.size() >= above.size() ? below : above;
        return larger.size() >= ENOUGH ? larger : null;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int anyEphemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** Ports {@code first} to {@code last}, both included; empty when last is below first. */
    record Range(int first, int last) {

        int size() {
            return Math.max(0, last - first + 1);
        }

        boolean contains(int port) {
            return port >= first && port <= last;
        }

        int random() {
            return ThreadLocalRandom.current().nextInt(first, last + 1);
        }
    }
}
