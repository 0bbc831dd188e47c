package dev.relay.load;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker's own produce→consume latency at a fixed rate, with no Relay code in the way: a
 * producer configured as ingest-fn's (idempotent, {@code acks=all}, {@code linger.ms=0}) and a
 * consumer polling as fanout-fn's does, on a topic of the benchmark's own. Each record carries its
 * send time; latency is first poll that returns it minus that.
 */
final class KafkaFloor {

    /** Not a Relay topic: nothing of the system reads it. */
    static final String TOPIC = "load-floor";

    private KafkaFloor() {
    }

    static Latencies produceToConsume(String bootstrapServers, double perSecond, Duration duration) throws Exception {
        Latencies latencies = new Latencies();
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong received = new AtomicLong();
        CountDownLatch assigned = new CountDownLatch(1);
        Thread consumerThread = Thread.ofPlatform().name("kafka-floor-consumer").start(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
                consumer.assign(List.of(partition));
                consumer.seekToEnd(List.of(partition));
                consumer.position(partition);
                assigned.countDown();
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        latencies.recordNanos(System.nanoTime() - ByteBuffer.wrap(record.value()).getLong());
                        received.incrementAndGet();
                    }
                }
            }
        });
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the floor consumer did not get its partition");
        }
        long sent;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            sent = Pacer.run(perSecond, duration, i -> producer.send(new ProducerRecord<>(TOPIC, 0, "floor",
                    ByteBuffer.allocate(64).putLong(System.nanoTime()).array())));
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        running.set(false);
        consumerThread.join();
        return latencies;
    }
}
