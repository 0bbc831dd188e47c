package dev.relay.localstack;

import dev.relay.contract.names.Tables;
import dev.relay.contract.names.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Real Kafka (KRaft), DynamoDB Local and Redis as child processes, with every table and topic named
 * in {@code contract/} created. Servers start in parallel; {@link #close()} stops all of them, and
 * each child's watchdog stops it anyway if this JVM dies without closing.
 */
public final class LocalStack implements AutoCloseable {

    private static LocalStack shared;

    private final Options options;
    private final KafkaServer kafka;
    private final DynamoDbServer dynamoDb;
    private final RedisServer redis;
    private final DevKeys keys;

    /**
     * @param baseDir    where server data, logs and dev keys live
     * @param kafkaPort  0 for a free port (likewise the others)
     * @param persistent keep DynamoDB data on disk (local run) instead of in memory (tests)
     * @param deleteOnClose remove {@code baseDir} on close (tests)
     */
    public record Options(Path baseDir, int kafkaPort, int dynamoDbPort, int redisPort, boolean persistent,
                          boolean deleteOnClose) {

        public static Options forTests() {
            try {
                return new Options(Files.createTempDirectory("relay-stack-"), 0, 0, 0, false, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private LocalStack(Options options) {
        this.options = options;
        RelayHome home = RelayHome.locate();
        Path base = options.baseDir().toAbsolutePath();
        this.kafka = new KafkaServer(FreePorts.orFree(options.kafkaPort()), FreePorts.next(),
                base.resolve("kafka"), home.serverLib("kafka"));
        this.dynamoDb = new DynamoDbServer(FreePorts.orFree(options.dynamoDbPort()), base.resolve("dynamodb"),
                options.persistent() ? base.resolve("dynamodb/data") : null, home.serverLib("dynamodb"));
        this.redis = new RedisServer(FreePorts.orFree(options.redisPort()), base.resolve("redis"));
        this.keys = DevKeys.in(base.resolve("keys"));
    }

    /** Starts all three servers in parallel and creates the schema; fails with the server's log tail. */
    public static LocalStack start(Options options) {
        return start(options, line -> { });
    }

    /**
     * As {@link #start(Options)}, telling {@code progress} one line as each server is ready
     * ("Kafka ready in 4.1 s …"); lines may come from several threads, one whole line per call.
     */
    public static LocalStack start(Options options, Consumer<String> progress) {
        LocalStack stack = new LocalStack(options);
        long t0 = System.nanoTime();
        // A thread per server: the common pool has a single worker on a 2-core machine, which would
        // start the servers one after the other.
        try (ExecutorService starters = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("local-stack-start-", 0).factory())) {
            CompletableFuture.allOf(
                    startReporting("Kafka", () -> {
                        stack.startKafka();
                        return stack.kafka.bootstrapServers() + "; topics " + String.join(", ", Topics.all());
                    }, starters, progress, t0),
                    startReporting("DynamoDB Local", () -> {
                        DynamoDbSchema.Outcome tables = stack.startDynamoDb();
                        return String.format("%s; tables: %d kept, %d created",
                                stack.dynamoDb.endpoint(), tables.kept().size(), tables.created().size());
                    }, starters, progress, t0),
                    startReporting("Redis", () -> {
                        stack.redis.start();
                        return stack.redis.url();
                    }, starters, progress, t0)).join();
        } catch (CompletionException e) {
            stack.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return stack;
    }

    /**
     * One stack per JVM, shared by every test class of a module run and stopped when the JVM exits.
     * Tests that stop a server must start it again before they end.
     */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            LocalStack stack = start(Options.forTests());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-stop"));
            shared = stack;
        }
        return shared;
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public DynamoDbServer dynamoDb() {
        return dynamoDb;
    }

    public RedisServer redis() {
        return redis;
    }

    public DevKeys keys() {
        return keys;
    }

    /** Signs tokens the apps pointed at this stack accept. */
    public DevTokens tokens() {
        return new DevTokens(keys);
    }

    public List<LocalServer> servers() {
        return List.of(kafka, dynamoDb, redis);
    }

    /** Starts a stopped server again on its port, re-creating what an in-memory restart lost. */
    public void restart(LocalServer server) {
        if (server == kafka) {
            startKafka();
        } else if (server == dynamoDb) {
            startDynamoDb();
        } else {
            server.start();
        }
    }

    /** The Quarkus configuration that points an app at this stack. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.dynamodb.endpoint-override", dynamoDb.endpoint());
        config.put("quarkus.dynamodb.aws.region", DynamoDbServer.REGION);
        config.put("quarkus.dynamodb.aws.credentials.type", "static");
        config.put("quarkus.dynamodb.aws.credentials.static-provider.access-key-id", DynamoDbServer.ACCESS_KEY);
        config.put("quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", DynamoDbServer.SECRET_KEY);
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.redis.hosts", redis.url());
        config.put("mp.jwt.verify.publickey.location", keys.publicKey().toUri().toString());
        config.put("mp.jwt.verify.issuer", DevKeys.ISSUER);
        config.put("smallrye.jwt.sign.key.location", keys.privateKey().toUri().toString());
        config.put("relay.auth.dev-tokens.enabled", "true");
        return config;
    }

    @Override
    public void close() {
        for (LocalServer server : List.of(redis, dynamoDb, kafka)) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                System.err.println("local-stack: stopping " + server.name() + " failed: " + e.getMessage());
            }
        }
        if (options.deleteOnClose()) {
            deleteRecursively(options.baseDir());
        }
    }

    private void startKafka() {
        kafka.start();
        kafka.createTopics(Topics.all(), Topics.LOCAL_PARTITIONS);
    }

    private DynamoDbSchema.Outcome startDynamoDb() {
        dynamoDb.start();
        try (DynamoDbClient client = dynamoDb.client()) {
            return DynamoDbSchema.ensure(client, Tables.specs(), "");
        } catch (SchemaMismatchException e) {
            throw dynamoDb.inMemory() ? e : e.withResetHint(options.baseDir().toAbsolutePath().resolve("dynamodb/data"));
        }
    }

    /** Runs {@code start} on {@code starters}, then tells {@code progress} "X ready in n s (what start returned)". */
    private static CompletableFuture<Void> startReporting(String server, Supplier<String> start, ExecutorService starters,
                                                          Consumer<String> progress, long since) {
        return CompletableFuture.runAsync(() -> {
            String detail = start.get();
            progress.accept(String.format("%s ready in %.1f s (%s)", server, (System.nanoTime() - since) / 1e9, detail));
        }, starters);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("local-stack: cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
