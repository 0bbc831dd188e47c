package dev.relay.localstack;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
public final class KafkaServer extends WatchedServer {

    /** Written to by the readiness probe only; no app reads it. */
    static final String PROBE_TOPIC = "local-stack-probe";

    /**
     * A SASL_PLAINTEXT listener that requires SCRAM-SHA-512 from one user (created when the storage is
     * formatted), the local stand-in for MSK's SASL_SSL + AWS_MSK_IAM: the apps take mechanism and
     * JAAS line from the same keys.
     */
    public record ScramListener(int port, String user, String password) {

        public static final String MECHANISM = "SCRAM-SHA-512";

        public String bootstrapServers() {
            return "127.0.0.1:" + port;
        }

        /** The JAAS line a client of this listener uses ({@code KAFKA_SASL_JAAS_CONFIG}). */
        public String jaasConfig() {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + password + "\";";
        }
    }

    private final int port;
    private final int controllerPort;
    private final Path lib;
    /** Null: the PLAINTEXT listener only. */
    private final ScramListener scram;

    KafkaServer(int port, int controllerPort, Path dir, Path lib) {
        this(port, controllerPort, dir, lib, null);
    }

    private KafkaServer(int port, int controllerPort, Path dir, Path lib, ScramListener scram) {
        super(dir);
        this.port = port;
        this.controllerPort = controllerPort;
        this.lib = lib;
        this.scram = scram;
    }

    /**
     * A broker of its own on free ports, outside any stack, whose client listener requires SCRAM from
     * {@code user}; its PLAINTEXT listener serves the broker itself, readiness and topic set-up only.
     * Not started yet; the caller stops it.
     */
    public static KafkaServer standaloneWithScram(Path dir, String user, String password) {
        return new KafkaServer(FreePorts.next(), FreePorts.next(), dir, RelayHome.locate().serverLib("kafka"),
                new ScramListener(FreePorts.next(), user, password));
    }

    /** The SCRAM listener of a {@link #standaloneWithScram} broker. */
    public ScramListener scram() {
        if (scram == null) {
            throw new IllegalStateException("this broker has no SCRAM listener");
        }
        return scram;
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
    List<String> command() {
        Path properties = writeProperties();
        List<String> jvm = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dkafka.logs.dir=" + dir.resolve("logs"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(jvm, properties);
        }
        return JavaCommand.of(jvm, lib, "kafka.Kafka", List.of(properties.toString()));
    }

    @Override
    void awaitReady() {
        // The clients log a WARN for every refused connection: they are made only once the port listens.
        awaitAnswer("Kafka to listen on port " + port, Duration.ofSeconds(90), () -> FreePorts.listening(port));
        awaitAnswer("Kafka on port " + port + " to accept a write", Duration.ofSeconds(90), this::probeWrite);
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
            await("topics " + topics).atMost(Duration.ofSeconds(30)).until(() -> {
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
                "listeners=PLAINTEXT://127.0.0.1:" + port + scramListener() + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + scramListener(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (scram == null ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT"),
                scram == null ? "" : "sasl.enabled.mechanisms=" + ScramListener.MECHANISM,
                scram == null ? "" : "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
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

    private String scramListener() {
        return scram == null ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + scram.port();
    }

    private void format(List<String> jvm, Path properties) {
        List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString(),
                "--standalone"));
        if (scram != null) {
            args.addAll(List.of("--add-scram", ScramListener.MECHANISM + "=[name=" + scram.user() + ",password="
                    + scram.password() + "]"));
        }
        List<String> command = JavaCommand.of(jvm, lib, "kafka.tools.StorageTool", args);
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
