package dev.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.platform.dynamo.ConversationStore;
import io.quarkus.test.junit.QuarkusTest;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A record whose message decodes but could never be written into an edge's frame (meta nested close
 * to Jackson's 1,000 levels, as an old or foreign producer may have sent it) is poison: dead-lettered
 * at once, without retries that hold up its partition, and the records behind it flow.
 */
@QuarkusTest
class PoisonedEnvelopeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ConversationStore conversations;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final RoutingRig rig = new RoutingRig();

    @Test
    void aMessageTooDeepToPushIsDeadLetteredAtOnceAndLaterRecordsFlow() {
        String nina = "nina-" + run;
        String poisoned = conversations.create(nina, "poisoned", List.of()).conversationId();
        String healthy = conversations.create(nina, "healthy", List.of()).conversationId();
        String node = "node-d-" + run;
        rig.presence().online(nina, "phone", node);
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(node));

        // 998 levels of meta: the envelope (1,000 levels) parses, the edge command around it (1,001) cannot be written.
        byte[] deep = withMeta(rig.producer().bytes(MessageEnvelope.of(EnvelopeProducer.message(poisoned, 1, nina))), nested(998));
        RecordMetadata poison = rig.producer().raw(Topics.MESSAGES, null, poisoned, deep);
        rig.producer().raw(Topics.MESSAGES, poison.partition(), poisoned,
                rig.producer().bytes(MessageEnvelope.of(EnvelopeProducer.message(poisoned, 2, nina))));
        rig.producer().raw(Topics.MESSAGES, poison.partition(), healthy,
                rig.producer().bytes(MessageEnvelope.of(EnvelopeProducer.message(healthy, 1, nina))));

        ConsumerRecord<String, byte[]> letter = rig.deadLetters().await(1, r -> poisoned.equals(r.key()), WAIT).get(0);
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
