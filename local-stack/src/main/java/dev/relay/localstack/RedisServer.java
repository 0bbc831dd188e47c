package dev.relay.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code redis-server} from Debian's package, loopback only, no persistence: Redis holds presence,
 * channels and rate limits, nothing that is not also in DynamoDB.
 */
public final class RedisServer implements LocalServer {

    private static final List<Path> CANDIDATES = List.of(
            Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"));

    private final int port;
    private final Path dir;
    private ServerProcess process;

    RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    @Override
    public String name() {
        return "redis";
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() {
        if (running()) {
            return;
        }
        List<String> command = List.of(binary().toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--maxclients", "20000");
        process = ServerProcess.start(name(), command, dir, dir.resolve("redis.log"));
        Wait.until("redis on port " + port, Duration.ofSeconds(20), () -> {
            process.requireAlive();
            return answersPing();
        });
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    @Override
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.alive();
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    static Path binary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                Path candidate = Path.of(entry, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new IllegalStateException("redis-server not found: install it with "
                        + "'apt-get install -y redis-server' (.ci/run and ./relay do this)"));
    }
}
