package dev.relay.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis's own PUBLISH→subscriber latency at a fixed rate, over plain RESP on two sockets (no client
 * library, so nothing but the server and the loopback is measured). Each payload is its send time.
 */
final class RedisPubSubFloor {

    /** Not a Relay channel: no edge node subscribes to it. */
    static final String CHANNEL = "load-floor";

    private RedisPubSubFloor() {
    }

    static Latencies publishToSubscriber(int port, double perSecond, Duration duration) throws Exception {
        Latencies latencies = new Latencies();
        AtomicLong received = new AtomicLong();
        try (Socket subscriber = new Socket("127.0.0.1", port); Socket publisher = new Socket("127.0.0.1", port)) {
            subscriber.setTcpNoDelay(true);
            publisher.setTcpNoDelay(true);
            InputStream subIn = new BufferedInputStream(subscriber.getInputStream());
            subscriber.getOutputStream().write(command("SUBSCRIBE", CHANNEL));
            read(subIn); // ["subscribe", channel, 1]
            Thread reader = Thread.ofPlatform().name("redis-floor-subscriber").start(() -> {
                try {
                    while (true) {
                        Object[] push = (Object[]) read(subIn);
                        long sentAt = Long.parseLong((String) push[2]);
                        latencies.recordNanos(System.nanoTime() - sentAt);
                        received.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the socket closed at the end of the run
                }
            });
            OutputStream pubOut = publisher.getOutputStream();
            InputStream pubIn = new BufferedInputStream(publisher.getInputStream());
            long sent = Pacer.run(perSecond, duration, i -> {
                pubOut.write(command("PUBLISH", CHANNEL, Long.toString(System.nanoTime())));
                read(pubIn); // number of receivers
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            subscriber.close();
            reader.join();
        }
        return latencies;
    }

    static byte[] command(String... parts) {
        StringBuilder out = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            out.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One RESP2 value: arrays as Object[], bulk and simple strings as String, integers as Long. */
    static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '*' -> {
                Object[] items = new Object[Integer.parseInt(line)];
                for (int i = 0; i < items.length; i++) {
                    items[i] = read(in);
                }
                yield items;
            }
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                yield new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case ':' -> Long.parseLong(line);
            case '+' -> line;
            case '-' -> throw new IOException("redis: " + line);
            case -1 -> throw new IOException("redis closed the connection");
            default -> throw new IOException("unexpected RESP type " + (char) type);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("redis closed the connection");
            }
            line.append((char) c);
        }
        in.read(); // '\n'
        return line.toString();
    }
}
