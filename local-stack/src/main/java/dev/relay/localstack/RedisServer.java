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
import java.util.ArrayList;
import java.util.List;

/**
 * {@code redis-server} from Debian's package, loopback only, no persistence: Redis holds presence,
 * channels and rate limits, nothing that is not also in DynamoDB.
 */
public final class RedisServer extends WatchedServer {

    private static final List<Path> CANDIDATES = List.of(
            Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"));

    private final int port;
    private final List<String> extraArguments;

    RedisServer(int port, Path dir) {
        this(port, dir, List.of());
    }

    private RedisServer(int port, Path dir, List<String> extraArguments) {
        super(dir);
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
    }

    /**
     * A redis-server of its own on a free port, outside any stack, for a test that needs one set up
     * otherwise (e.g. {@code --requirepass}) or changes its users; not started yet, and the caller stops it.
     */
    public static RedisServer standalone(Path dir, List<String> extraArguments) {
        return new RedisServer(FreePorts.next(), dir, extraArguments);
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
    List<String> command() {
        List<String> command = new ArrayList<>(List.of(binary().toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--maxclients", "20000"));
        command.addAll(extraArguments);
        return command;
    }

    @Override
    void awaitReady() {
        awaitAnswer("redis on port " + port + " to answer PING", Duration.ofSeconds(20), this::answersPing);
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
            String answer = new String(reply, StandardCharsets.US_ASCII);
            // A server started with --requirepass answers, but refuses PING until AUTH.
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
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
