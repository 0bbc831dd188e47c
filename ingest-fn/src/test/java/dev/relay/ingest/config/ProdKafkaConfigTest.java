package dev.relay.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The %prod profile of application.properties, resolved as Quarkus resolves it (profile, expressions,
 * the environment above the file), turned into a real Kafka client: the IAM defaults load the MSK
 * login module and callback handler from aws-msk-iam-auth, and the same keys carry a SCRAM setup.
 * Creating the client runs the SASL login, so a missing class or a malformed JAAS line fails here.
 */
class ProdKafkaConfigTest {

    private static final List<String> KEYS = List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "sasl.client.callback.handler.class");

    @Test
    void defaultsAreMskIam() throws IOException {
        Map<String, String> kafka = kafka(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9098"));

        assertThat(kafka).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;")
                .containsEntry("sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
                .containsEntry("bootstrap.servers", "127.0.0.1:9098");
        createClient(kafka);
    }

    @Test
    void theSameKeysCarryScram() throws IOException {
        Map<String, String> kafka = kafka(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"ingest\" password=\"secret\";",
                "KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS",
                "org.apache.kafka.common.security.authenticator.SaslClientCallbackHandler"));

        assertThat(kafka).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        createClient(kafka);
    }

    @Test
    void prodTakesTheInlineTokenKeyAndNoLocation() throws IOException {
        SmallRyeConfig config = prod(Map.of("MP_JWT_VERIFY_PUBLICKEY", "{\"keys\":[]}"));

        // smallrye-jwt's "unset": an empty value fails its String injection at startup (found by ProdProfileIT).
        assertThat(config.getValue("mp.jwt.verify.publickey.location", String.class)).isEqualTo("NONE");
        assertThat(config.getValue("mp.jwt.verify.publickey", String.class)).isEqualTo("{\"keys\":[]}");
    }

    @Test
    void prodAuthenticatesToRedisWithThePasswordFromTheEnvironment() throws IOException {
        assertThat(prod(Map.of("RELAY_REDIS_PASSWORD", "s3cret")).getValue("quarkus.redis.password", String.class))
                .isEqualTo("s3cret");
        assertThat(prod(Map.of()).getOptionalValue("quarkus.redis.password", String.class)).isEmpty();
    }

    private static Map<String, String> kafka(Map<String, String> env) throws IOException {
        SmallRyeConfig config = prod(env);
        Map<String, String> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", config.getValue("kafka.bootstrap.servers", String.class));
        for (String key : KEYS) {
            config.getOptionalValue("kafka." + key, String.class).ifPresent(value -> kafka.put(key, value));
        }
        return kafka;
    }

    private static SmallRyeConfig prod(Map<String, String> env) throws IOException {
        return new SmallRyeConfigBuilder()
                .withProfile("prod")
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        ProdKafkaConfigTest.class.getClassLoader().getResource("application.properties"), 250))
                .withSources(new PropertiesConfigSource(env, "environment", 300))
                .build();
    }

    private static void createClient(Map<String, String> kafka) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(settings)) {
            assertThat(admin).isNotNull();
        }
    }
}
