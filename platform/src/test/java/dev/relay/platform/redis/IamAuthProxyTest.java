package dev.relay.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.localstack.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy against a real redis-server (started here) whose ACL user accepts only the tokens the test
 * hands out: each connection the client opens is authenticated with the next token, a connection reaching
 * its max age is closed and replaced by one with a new token, and a refused token opens nothing.
 */
class IamAuthProxyTest {

    private static final String USER = "proxy-test-user";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisServer server;
    private static int port;
    private static Vertx vertx;
    private static Redis admin;

    @BeforeAll
    static void startRedis() throws Exception {
        // Its own server: the test changes its users.
        server = RedisServer.standalone(Files.createTempDirectory("iam-proxy-redis"), List.of());
        server.start();
        port = server.port();
        vertx = Vertx.vertx();
        admin = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aConnectionPastItsMaxAgeIsReplacedByOneWithANewToken() {
        send(admin, "ACL", "SETUSER", USER, "reset", "on", ">token-1", ">token-2", "~*", "&*", "+@all");
        List<String> handedOut = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        IamAuthProxy proxy = new IamAuthProxy(vertx, new NetClientOptions(), "127.0.0.1", port, USER, () -> {
            String token = "token-" + next.incrementAndGet();
            handedOut.add(token);
            return token;
        }, Duration.ofSeconds(2), Duration.ofSeconds(10));
        Redis client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString("redis://127.0.0.1:" + proxy.start()).setMaxPoolSize(1));
        try {
            assertThat(send(client, "ACL", "WHOAMI").toString()).isEqualTo(USER);
            long first = send(client, "CLIENT", "ID").toLong();
            assertThat(handedOut).containsExactly("token-1");

            await("a second connection").atMost(WAIT).until(() -> {
                try {
                    return send(client, "CLIENT", "ID").toLong() != first;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            assertThat(handedOut).containsExactly("token-1", "token-2");
            assertThat(send(client, "ACL", "WHOAMI").toString()).isEqualTo(USER);
        } finally {
            client.close();
            proxy.close();
        }
    }

    @Test
    void aRefusedTokenOpensNoConnection() {
        send(admin, "ACL", "SETUSER", USER, "reset", "on", ">the-right-token", "~*", "&*", "+@all");
        IamAuthProxy proxy = new IamAuthProxy(vertx, new NetClientOptions(), "127.0.0.1", port, USER,
                () -> "a-wrong-token", Duration.ofHours(1), Duration.ofSeconds(10));
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + proxy.start());
        try {
            assertThatThrownBy(() -> send(client, "PING")).isInstanceOf(IllegalStateException.class);
            assertThat(send(admin, "CLIENT", "LIST").toString()).doesNotContain("user=" + USER + " ");
        } finally {
            client.close();
            proxy.close();
        }
    }

    @Test
    void authIsOneRespArrayOfBulkStrings() {
        assertThat(IamAuthProxy.authCommand("u", "host/?a=b&c=é").toString())
                .isEqualTo("*3\r\n$4\r\nAUTH\r\n$1\r\nu\r\n$14\r\nhost/?a=b&c=é\r\n");
    }

    private static Response send(Redis redis, String command, String... args) {
        Request request = Request.cmd(Command.create(command));
        for (String arg : args) {
            request.arg(arg);
        }
        try {
            return redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis " + command + " failed", e);
        }
    }
}
