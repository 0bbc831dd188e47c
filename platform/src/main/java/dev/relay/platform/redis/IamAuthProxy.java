package dev.relay.platform.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A loopback listener between the app's Redis client and the real server that authenticates every
 * connection itself. For each connection the client opens here, it signs a new token (on a worker
 * thread: resolving credentials may block), opens its own connection upstream (TLS when asked), sends
 * {@code AUTH <user> <token>}, and only after {@code +OK} joins the two sockets byte for byte; the
 * client then talks to an authenticated connection and needs no password. A refused AUTH closes the
 * client's connection, so the client sees a failed connect. Each joined pair is closed after the max age
 * (less up to a tenth, spread at random), before the server's own limit; the client reconnects through
 * here with a new token.
 *
 * <p>Only processes in the same network namespace reach the listener (127.0.0.1): on ECS the task's
 * own containers, on Lambda the function itself.
 */
final class IamAuthProxy implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IamAuthProxy.class);
    private static final int MAX_REPLY_LINE = 4096;

    private final Vertx vertx;
    private final NetClient upstream;
    private final String upstreamHost;
    private final int upstreamPort;
    private final String user;
    private final Callable<String> tokens;
    private final long maxAgeMillis;
    private final long authTimeoutMillis;
    private NetServer server;

    /**
     * @param tokens signs a new token on each call; called on a worker thread, once per connection
     */
    IamAuthProxy(Vertx vertx, NetClientOptions upstreamOptions, String upstreamHost, int upstreamPort, String user,
                 Callable<String> tokens, Duration maxAge, Duration authTimeout) {
        this.vertx = vertx;
        this.upstream = vertx.createNetClient(upstreamOptions);
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.user = user;
        this.tokens = tokens;
        this.maxAgeMillis = Math.max(1, maxAge.toMillis());
        this.authTimeoutMillis = Math.max(1, authTimeout.toMillis());
    }

    /** Starts listening on a free loopback port and returns it; blocks, so never on an event loop. */
    int start() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the Redis IAM proxy must be started off the event loop");
        }
        NetServer created = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
        created.connectHandler(this::accepted);
        try {
            server = created.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the Redis IAM proxy could not listen on 127.0.0.1", e);
        }
        return server.actualPort();
    }

    private void accepted(NetSocket local) {
        local.pause();
        AtomicBoolean localClosed = new AtomicBoolean();
        local.closeHandler(v -> localClosed.set(true));
        vertx.executeBlocking(tokens, false)
                .compose(token -> upstream.connect(upstreamPort, upstreamHost)
                        .compose(socket -> authenticate(socket, token)))
                .onSuccess(socket -> {
                    if (localClosed.get()) {
                        socket.close();
                    } else {
                        join(local, socket);
                    }
                })
                .onFailure(e -> {
                    LOG.warnf("Redis connection to %s:%d as %s not opened: %s", upstreamHost, upstreamPort, user,
                            e.getMessage());
                    local.close();
                });
    }

    /** Sends AUTH and completes with the socket, paused, once the server answered {@code +OK}. */
    private Future<NetSocket> authenticate(NetSocket socket, String token) {
        Promise<NetSocket> done = Promise.promise();
        Buffer reply = Buffer.buffer();
        long timeout = vertx.setTimer(authTimeoutMillis, t -> {
            if (done.tryFail(new IOException("no answer to AUTH within " + authTimeoutMillis + " ms"))) {
                socket.close();
            }
        });
        socket.closeHandler(v -> done.tryFail(new IOException("closed before AUTH was answered")));
        socket.handler(chunk -> {
            reply.appendBuffer(chunk);
            String received = reply.toString(StandardCharsets.UTF_8);
            int end = received.indexOf("\r\n");
            if (end < 0 && reply.length() < MAX_REPLY_LINE) {
                return;
            }
            vertx.cancelTimer(timeout);
            socket.pause();
            socket.handler(null);
            String line = end < 0 ? received : received.substring(0, end);
            if (line.equals("+OK")) {
                done.tryComplete(socket);
            } else {
                done.tryFail(new IOException("AUTH refused: " + line));
                socket.close();
            }
        });
        socket.write(authCommand(user, token));
        return done.future();
    }

    /** Joins the two sockets until either closes or the pair reaches its age. */
    private void join(NetSocket local, NetSocket remote) {
        long age = maxAgeMillis - ThreadLocalRandom.current().nextLong(maxAgeMillis / 10 + 1);
        long timer = vertx.setTimer(Math.max(1, age), t -> local.close());
        local.closeHandler(v -> {
            vertx.cancelTimer(timer);
            remote.close();
        });
        remote.closeHandler(v -> local.close());
        remote.pipeTo(local);
        local.pipeTo(remote);
    }

    /** {@code AUTH user token} as a RESP array of bulk strings. */
    static Buffer authCommand(String user, String token) {
        Buffer command = Buffer.buffer("*3\r\n");
        for (String part : new String[] {"AUTH", user, token}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            command.appendString("$" + bytes.length + "\r\n").appendBytes(bytes).appendString("\r\n");
        }
        return command;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }
}
