package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.edge.config.DebugLogged;
import dev.relay.localstack.LocalStack;
import dev.relay.platform.aws.SigningCredentials;
import dev.relay.platform.redis.ElastiCacheTokenSigner;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The edge's Redis client authenticating as an ElastiCache IAM user would, against a real redis-server:
 * an ACL user whose only password is the token the signer makes for the current signing time. A
 * connection opens only if the app sent {@code AUTH <user> <that token>}; after the password becomes the
 * next token and the server drops the app's connections, the app connects again only if it signed anew.
 */
@QuarkusTest
@TestProfile(RedisIamAuthTest.IamProfile.class)
class RedisIamAuthTest {

    private static final Logger LOG = Logger.getLogger(RedisIamAuthTest.class);
    static final String USER = "relay-edge-iam-test";
    static final String CACHE = "relay-test-cache";
    static final ElastiCacheTokenSigner SIGNER = new ElastiCacheTokenSigner(USER, CACHE, "eu-west-1");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    SigningCredentials signing;

    @Test
    void everyNewConnectionAuthenticatesWithATokenSignedForIt() {
        assertThat(whoAmI()).isEqualTo(USER);
        assertThat(Admin.clientsOf(USER)).isPositive();

        Instant later = FixedSigningCredentials.START.plus(Duration.ofMinutes(10));
        Admin.send("ACL", "SETUSER", USER, "resetpass", ">" + token(later));
        ((FixedSigningCredentials) signing).moveTo(later);
        assertThat(Admin.send("CLIENT", "KILL", "USER", USER).toLong()).isPositive();

        await("the app connected again as " + USER).atMost(WAIT).until(this::connectsAsIamUser);
        assertThat(Admin.clientsOf(USER)).isPositive();
    }

    @Test
    void aConnectionWhoseTokenTheServerRefusesIsNotOpened() {
        Instant refused = FixedSigningCredentials.START.plus(Duration.ofMinutes(20));
        Instant accepted = FixedSigningCredentials.START.plus(Duration.ofMinutes(30));
        Admin.send("ACL", "SETUSER", USER, "resetpass", ">" + token(accepted));
        ((FixedSigningCredentials) signing).moveTo(refused);
        Admin.send("CLIENT", "KILL", "USER", USER);
        await("no connection of " + USER + " left").atMost(WAIT).until(() -> Admin.clientsOf(USER) == 0);
        Admin.send("ACL", "LOG", "RESET");

        // Each attempt now signs for `refused`: the server logs the refusals and no connection opens.
        await("a refused AUTH of " + USER).atMost(WAIT).until(() -> {
            // expected to fail while the signed token is refused; the failure is the point, logged at debug
            redis.execute("PING").subscribe().with(r -> { }, DebugLogged.failure(LOG, "PING with a refused token"));
            return Admin.failedAuthOf(USER) > 0;
        });
        assertThat(Admin.clientsOf(USER)).isZero();

        ((FixedSigningCredentials) signing).moveTo(accepted);
        await("the app connected again as " + USER).atMost(WAIT).until(this::connectsAsIamUser);
    }

    private boolean connectsAsIamUser() {
        try {
            return USER.equals(whoAmI());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String whoAmI() {
        return redis.execute("ACL", "WHOAMI").await().atMost(Duration.ofSeconds(5)).toString();
    }

    static String token(Instant at) {
        return SIGNER.sign(FixedSigningCredentials.CREDENTIALS,
                java.time.Clock.fixed(at, java.time.ZoneOffset.UTC));
    }

    public static class IamProfile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.redis.iam.user", USER,
                    "relay.redis.iam.cache-name", CACHE,
                    "relay.redis.iam.region", "eu-west-1");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FixedSigningCredentials.class);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IamUser.class));
        }
    }

    /** Creates the ACL user before the app starts (its password: the token for the start time), deletes it after. */
    public static class IamUser implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            Admin.send("ACL", "SETUSER", USER, "reset", "on", ">" + token(FixedSigningCredentials.START),
                    "~*", "&*", "+@all");
            Admin.send("ACL", "LOG", "RESET");
            return Map.of();
        }

        @Override
        public void stop() {
            Admin.send("ACL", "DELUSER", USER);
        }
    }

    /** The test's own connection as Redis' default user, beside the app's. */
    static final class Admin {

        private static Vertx vertx;
        private static Redis client;

        private Admin() {
        }

        static synchronized Response send(String command, String... args) {
            if (client == null) {
                vertx = Vertx.vertx();
                client = Redis.createClient(vertx, LocalStack.shared().redis().url());
            }
            Request request = Request.cmd(io.vertx.redis.client.Command.create(command));
            for (String arg : args) {
                request.arg(arg);
            }
            try {
                return client.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Redis " + command + " failed", e);
            }
        }

        /** Open connections authenticated as {@code user}. */
        static long clientsOf(String user) {
            return send("CLIENT", "LIST").toString().lines().filter(l -> l.contains(" user=" + user + " ")).count();
        }

        /** AUTH refusals for {@code user} in the server's ACL log. */
        static long failedAuthOf(String user) {
            long failures = 0;
            for (Response entry : send("ACL", "LOG")) {
                if ("auth".equals(entry.get("reason").toString()) && user.equals(entry.get("username").toString())) {
                    failures += entry.get("count").toLong();
                }
            }
            return failures;
        }
    }
}
