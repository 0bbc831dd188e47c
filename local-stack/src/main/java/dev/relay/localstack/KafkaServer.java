package dev.relay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One Apache Kafka 4 broker in KRaft mode (broker and controller in one process) from the
 * {@code kafka_2.13} jars. Storage is formatted once per data directory; a restart keeps topics and
 * records. Ready means a producer with {@code acks=all} wrote a record.
 */
public final class KafkaServer implements LocalServer {

    /** Written to by the readiness probe only; no app reads it. */
    static final String PROBE_TOPIC = "local-stack-probe";

    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final Path lib;
    private ServerProcess process;

    KafkaServer(int port, int controllerPort, Path dir, Path lib) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.lib = lib;
    }

    @Override
    public String name() {
        return "kafka";
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** An admin client for set-up and tests; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    @Override
    public synchronized void start() {
        if (running()) {
            return;
        }
        Path properties = writeProperties();
        Path dataDir = dir.resolve("data");
        List<String> jvm = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dkafka.logs.dir=" + dir.resolve("logs"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(jvm, properties);
        }
        process = ServerProcess.start(name(), JavaCommand.of(jvm, lib, "kafka.Kafka", List.of(properties.toString())),
                dir, dir.resolve("kafka.log"));
        // The clients log a WARN for every refused connection: they are made only once the port listens.
        Wait.until("Kafka to listen on port " + port, Duration.ofSeconds(90), () -> {
            process.requireAlive();
            return FreePorts.listening(port);
        });
        Wait.until("Kafka on port " + port + " to accept a write", Duration.ofSeconds(90), () -> {
            process.requireAlive();
            return probeWrite();
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

    /** Creates each topic with the given partitions; existing topics are left as they are. */
    public void createTopics(List<String> topics, int partitions) {
        try (Admin admin = admin()) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                }
            }
            Wait.until("topics " + topics, Duration.ofSeconds(30), () -> {
                try {
                    return admin.listTopics().names().get(5, TimeUnit.SECONDS).containsAll(topics);
                } catch (Exception notYet) {
                    return false;
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topics " + topics, e);
        }
    }

    private Path writeProperties() {
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=" + 4,
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("server.properties");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format(List<String> jvm, Path properties) {
        List<String> command = JavaCommand.of(jvm, lib, "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString(), "--standalone"));
        try {
            Process format = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("format.log").toFile())).start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage failed:\n" + LogTail.of(dir.resolve("format.log"), 20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean probeWrite() {
        try {
            createTopics(List.of(PROBE_TOPIC), 1);
        } catch (RuntimeException notYet) {
            return false;
        }
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(PROBE_TOPIC, "probe", "ready")).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }
}
