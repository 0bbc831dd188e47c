package dev.relay.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.RelayJson;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Plays edge nodes: subscribes to channels on ONE Redis connection and keeps every command in
 * arrival order. Redis delivers to one subscriber connection in publish order, so once a later
 * publish has arrived, everything published before it on any of these channels has too; tests use
 * that to prove that something was NOT published, without sleeping.
 */
final class EdgeListener implements AutoCloseable {

    record Received(String channel, EdgeCommand command) {

        EdgeCommand.Deliver deliver() {
            return (EdgeCommand.Deliver) command;
        }

        /** The pushed message's seq, for a Deliver of a stored message. */
        long seq() {
            return ((ServerFrame.MessagePush) deliver().frame()).message().seq();
        }

        String conversationId() {
            return switch (deliver().frame()) {
                case ServerFrame.MessagePush push -> push.message().conversationId();
                case ServerFrame.Signal signal -> signal.conversationId();
                case ServerFrame.Receipt receipt -> receipt.conversationId();
                default -> null;
            };
        }
    }

    private final ObjectMapper json = RelayJson.newMapper();
    private final Redis client;
    private final RedisConnection connection;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> unreadable = new CopyOnWriteArrayList<>();

    private EdgeListener(Redis client, RedisConnection connection) {
        this.client = client;
        this.connection = connection;
    }

    static EdgeListener subscribe(Vertx vertx, String redisUrl, String... channels) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
        RedisConnection connection = await(client.connect().toCompletionStage().toCompletableFuture());
        EdgeListener listener = new EdgeListener(client, connection);
        connection.handler(listener::onPush);
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        for (String channel : channels) {
            subscribe.arg(channel);
        }
        await(connection.send(subscribe).toCompletionStage().toCompletableFuture());
        return listener;
    }

    private void onPush(Response push) {
        if (push == null || push.size() < 3 || !"message".equalsIgnoreCase(push.get(0).toString())) {
            return;
        }
        String payload = push.get(2).toString();
        try {
            received.add(new Received(push.get(1).toString(), json.readValue(payload, EdgeCommand.class)));
        } catch (Exception e) {
            unreadable.add(payload);
        }
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> on(String channel) {
        return received.stream().filter(r -> r.channel().equals(channel)).toList();
    }

    /** Commands whose frame belongs to {@code conversationId}, in arrival order. */
    List<Received> of(String conversationId) {
        return received.stream().filter(r -> conversationId.equals(r.conversationId())).toList();
    }

    List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** Polls until {@code condition} holds on what arrived so far; fails after {@code timeout} with the last arrivals. */
    void await(String what, Duration timeout, Predicate<List<Received>> condition) {
        try {
            Awaitility.await(what).atMost(timeout).until(() -> condition.test(received()));
        } catch (ConditionTimeoutException e) {
            List<Received> all = received();
            throw new AssertionError(e.getMessage() + "; received " + all.size() + " command(s): "
                    + all.subList(Math.max(0, all.size() - 10), all.size()), e);
        }
    }

    /** The seqs of one conversation's pushes on one channel, in arrival order. */
    List<Long> seqs(String channel, String conversationId) {
        List<Long> seqs = new ArrayList<>();
        for (Received r : on(channel)) {
            if (conversationId.equals(r.conversationId()) && r.deliver().frame() instanceof ServerFrame.MessagePush) {
                seqs.add(r.seq());
            }
        }
        return seqs;
    }

    @Override
    public void close() {
        connection.close();
        client.close();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis call failed", e);
        }
    }
}
