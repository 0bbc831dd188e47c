package dev.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.localstack.LocalStack;
import dev.relay.platform.dynamo.ConversationStore;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record whose message decodes but could never be written into an edge's frame (meta nested close
 * to Jackson's 1,000 levels, as an old or foreign producer may have sent it) is poison: dead-lettered
 * at once, without retries that hold up its partition, and the records behind it flow.
 */
@QuarkusTest
class PoisonedEnvelopeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Vertx vertx;
    @Inject
    ConversationStore conversations;

    private final LocalStack stack = LocalStack.shared();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private EnvelopeProducer producer;
    private PresenceWriter presence;
    private DeadLetterReader deadLetters;
    private EdgeListener edges;

    @BeforeEach
    void connect() {
        producer = new EnvelopeProducer(stack.kafka().bootstrapServers());
        presence = new PresenceWriter(vertx, stack.redis().url());
        deadLetters = new DeadLetterReader(stack.kafka().bootstrapServers());
    }

    @AfterEach
    void close() {
        if (edges != null) {
            edges.close();
        }
        deadLetters.close();
        presence.close();
        producer.close();
    }

    @Test
    void aMessageTooDeepToPushIsDeadLetteredAtOnceAndLaterRecordsFlow() {
        String nina = "nina-" + run;
        String poisoned = conversations.create(nina, "poisoned", List.of()).conversationId();
        String healthy = conversations.create(nina, "healthy", List.of()).conversationId();
        String node = "node-d-" + run;
        presence.online(nina, "phone", node);
        edges = EdgeListener.subscribe(vertx, stack.redis().url(), RedisKeys.nodeChannel(node));

        // 998 levels of meta: the envelope (1,000 levels) parses, the edge command around it (1,001) cannot be written.
        byte[] deep = withMeta(producer.bytes(MessageEnvelope.of(EnvelopeProducer.message(poisoned, 1, nina))), nested(998));
        RecordMetadata poison = producer.raw(Topics.MESSAGES, null, poisoned, deep);
        producer.raw(Topics.MESSAGES, poison.partition(), poisoned,
                producer.bytes(MessageEnvelope.of(EnvelopeProducer.message(poisoned, 2, nina))));
        producer.raw(Topics.MESSAGES, poison.partition(), healthy,
                producer.bytes(MessageEnvelope.of(EnvelopeProducer.message(healthy, 1, nina))));

        ConsumerRecord<String, byte[]> letter = deadLetters.await(1, r -> poisoned.equals(r.key()), WAIT).get(0);
        assertThat(DeadLetterReader.header(letter, Topics.HEADER_DLQ_REASON)).startsWith("poison: ");
        assertThat(DeadLetterReader.header(letter, Topics.HEADER_DLQ_ATTEMPTS)).as("never retried").isEqualTo("1");
        assertThat(DeadLetterReader.header(letter, Topics.HEADER_DLQ_OFFSET)).isEqualTo(Long.toString(poison.offset()));
        assertThat(letter.value()).isEqualTo(deep);
        edges.await("the records behind the poison", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(node), healthy).contains(1L)
                && edges.seqs(RedisKeys.nodeChannel(node), poisoned).contains(2L));
        assertThat(edges.seqs(RedisKeys.nodeChannel(node), poisoned)).containsExactly(2L);
    }

    private static byte[] withMeta(byte[] envelope, String meta) {
        String text = new String(envelope, StandardCharsets.UTF_8);
        assertThat(text).contains("\"meta\":null");
        return text.replace("\"meta\":null", "\"meta\":" + meta).getBytes(StandardCharsets.UTF_8);
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }
}
