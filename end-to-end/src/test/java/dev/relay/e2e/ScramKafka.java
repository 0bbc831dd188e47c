package dev.relay.e2e;

import dev.relay.localstack.FreePorts;
import dev.relay.localstack.RelayHome;
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

/**
 * A KRaft broker (local-stack's Kafka jars) whose client listener requires SASL/SCRAM-SHA-512, the local
 * stand-in for MSK's SASL_SSL + AWS_MSK_IAM: the apps take mechanism and JAAS line from the same keys.
 * The user is created when the storage is formatted ({@code --add-scram}); a PLAINTEXT listener
 * serves the broker itself and the test's topic set-up only.
 */
final class ScramKafka implements AutoCloseable {

    static final String MECHANISM = "SCRAM-SHA-512";

    private final Path dir;
    private final int plainPort = FreePorts.next();
    private final int saslPort = FreePorts.next();
    private final int controllerPort = FreePorts.next();
    private final String user;
    private final String password;
    private Process process;

    ScramKafka(Path dir, String user, String password) {
        this.dir = dir;
        this.user = user;
        this.password = password;
    }

    String saslBootstrap() {
        return "127.0.0.1:" + saslPort;
    }

    /** The JAAS line a client of this broker uses (KAFKA_SASL_JAAS_CONFIG). */
    String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    void start(List<String> topics) throws Exception {
        Files.createDirectories(dir);
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
                        + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=2",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=2",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                ""), StandardCharsets.UTF_8);
        run("kafka.tools.StorageTool", List.of("format", "-t", org.apache.kafka.common.Uuid.randomUuid().toString(),
                "-c", properties.toString(), "--standalone",
                "--add-scram", MECHANISM + "=[name=" + user + ",password=" + password + "]"), true);
        process = run("kafka.Kafka", List.of(properties.toString()), false);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + plainPort,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("SCRAM Kafka exited; see " + dir.resolve("kafka.log"));
                }
                try {
                    admin.createTopics(topics.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList())
                            .all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("SCRAM Kafka did not take the topics", notYet);
                    }
                }
            }
        }
    }

    private Process run(String mainClass, List<String> args, boolean waitForExit) throws Exception {
        Path lib = RelayHome.locate().root().resolve("local-stack/servers/kafka/target/lib");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dkafka.logs.dir=" + dir.resolve("logs"), "-cp", lib + "/*", mainClass));
        command.addAll(args);
        Process started = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile())).start();
        if (waitForExit && (!started.waitFor(60, TimeUnit.SECONDS) || started.exitValue() != 0)) {
            started.destroyForcibly();
            throw new IllegalStateException(mainClass + " failed; see " + dir.resolve("kafka.log"));
        }
        return started;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

}
