package dev.relay.platform.redis;

import dev.relay.platform.aws.SigningCredentials;
import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Makes the app's Redis client authenticate to ElastiCache with IAM when {@link RedisIamConfig} is on.
 *
 * <p>Why a proxy: vertx-redis-client 4.5 sends the password of {@code RedisConnectOptions} with each new
 * connection's HELLO/AUTH, but {@code Redis.createClient} copies it from {@code RedisOptions} once, right
 * after this customizer ran, into an object no public API reaches; a token set here would be the one
 * token of every connection ever opened, and ElastiCache refuses it 15 minutes later. So the customizer
 * points the client at an {@link IamAuthProxy} on 127.0.0.1, which opens the real connection (with the
 * client's TLS settings), signs a new token for each one and sends the AUTH itself. The client keeps its
 * pool, pub/sub, reconnects and health check unchanged, and needs no password.
 */
@Singleton
public class RedisIamCustomizer implements RedisOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(RedisIamCustomizer.class);
    private static final int DEFAULT_PORT = 6379;

    private final RedisIamConfig config;
    private final SigningCredentials credentials;
    private final List<IamAuthProxy> proxies = new ArrayList<>();
    private Vertx vertx;

    public RedisIamCustomizer(RedisIamConfig config, SigningCredentials credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    @Override
    public synchronized void customize(String clientName, RedisOptions options) {
        if (!config.enabled()) {
            return;
        }
        if (options.getType() != RedisClientType.STANDALONE || options.getEndpoints().size() != 1) {
            throw new ConfigurationException("Redis IAM auth supports one standalone endpoint (the replication "
                    + "group's primary endpoint), not " + options.getType() + " " + options.getEndpoints());
        }
        if (options.getPassword() != null && !options.getPassword().isEmpty()) {
            throw new ConfigurationException("set either a Redis password or relay.redis.iam.user, not both");
        }
        URI endpoint = URI.create(options.getEndpoint());
        if (endpoint.getUserInfo() != null) {
            throw new ConfigurationException("with Redis IAM auth the user is relay.redis.iam.user, not the URL's");
        }
        ElastiCacheTokenSigner signer = new ElastiCacheTokenSigner(config.user().orElseThrow(),
                config.cacheName().orElseThrow(), config.region());
        NetClientOptions upstream = new NetClientOptions(options.getNetClientOptions())
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        upstream.setSsl(upstream.isSsl() || "rediss".equalsIgnoreCase(endpoint.getScheme()));
        int port = endpoint.getPort() < 0 ? DEFAULT_PORT : endpoint.getPort();
        if (vertx == null) {
            vertx = proxyVertx();
        }
        IamAuthProxy proxy = new IamAuthProxy(vertx, upstream, endpoint.getHost(), port, signer.user(),
                () -> signer.sign(credentials.identity(), credentials.clock()),
                config.connectionMaxAge(), config.connectTimeout());
        int localPort = proxy.start();
        proxies.add(proxy);
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        String query = endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery();
        options.setEndpoints(new ArrayList<>(List.of("redis://127.0.0.1:" + localPort + path + query)));
        options.getNetClientOptions().setSsl(false);
        LOG.infof("Redis client %s authenticates as %s with IAM tokens for %s (%s:%d%s)", clientName,
                signer.user(), config.cacheName().orElseThrow(), endpoint.getHost(), port,
                upstream.isSsl() ? ", TLS" : "");
    }

    /**
     * The proxies' own small Vert.x: customizers run while Quarkus creates its Redis clients, before
     * Quarkus' Vert.x bean can be injected. Two event loops move the bytes, a worker signs.
     */
    private static Vertx proxyVertx() {
        return Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(2)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    }

    @PreDestroy
    synchronized void close() {
        proxies.forEach(IamAuthProxy::close);
        proxies.clear();
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
