package dev.relay.fanout.kafka;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs a polled batch with one virtual thread per partition: records of a partition (and so of a
 * conversation, since the key is the conversation id) one after another in offset order, different
 * partitions at the same time. Returns only when every partition is done, so the batch can be
 * acknowledged as a whole.
 */
@ApplicationScoped
public class PartitionExecutor {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** @throws RuntimeException the first failure of any partition, after all of them have stopped */
    public <K, V> void forEachInOrder(ConsumerRecords<K, V> records, Consumer<ConsumerRecord<K, V>> handler) {
        if (records.partitions().size() <= 1) {
            records.forEach(handler);
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<K, V>> inOrder = records.records(partition);
            running.add(threads.submit(() -> inOrder.forEach(handler)));
        }
        RuntimeException failure = null;
        for (Future<?> partition : running) {
            try {
                partition.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(f -> f.cancel(true));
                throw new IllegalStateException("interrupted while routing a batch", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @PreDestroy
    void close() {
        threads.shutdownNow();
    }
}
