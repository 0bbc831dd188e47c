package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.AppendRequests.atLeastOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.names.Topics;
import dev.relay.ingest.append.AppendOutcome;
import dev.relay.ingest.append.MessageAppender;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.platform.dynamo.TableNames;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@QuarkusTest
class ConcurrencyTest {

    private static final int IN_FLIGHT = 16;

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    TableNames tables;

    @Inject
    IngestConfig config;

    @Test
    void eightSendersRacingFiftySendsEachInOneConversationGetEverySeqFromOneToFourHundredOnce() throws Exception {
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            senders.add(newUser("sender" + i));
        }
        String id = createConversation(senders.getFirst(), senders.subList(1, 8).toArray(String[]::new));

        List<Callable<Response>> sends = new ArrayList<>();
        for (String sender : senders) {
            for (int j = 0; j < 50; j++) {
                String text = sender + "#" + j;
                sends.add(() -> Api.send(sender, id, newKey(), text));
            }
        }
        // 16 in flight at a time, all in one conversation: enough to race every sender against the others,
        // while each send waits behind at most 15 others for the conversation's turn (well inside
        // append.max-wait and the client's read timeout even on a loaded machine; 400 at once did not).
        List<Response> answers = runConcurrently(sends, IN_FLIGHT);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(201));
        List<Long> expected = LongStream.rangeClosed(1, 400).boxed().toList();
        assertThat(answers.stream().map(a -> a.<Integer>path("seq").longValue()).sorted().toList()).isEqualTo(expected);
        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(id)).isEqualTo(expected);
        assertThat(stored.lastSeq(id)).isEqualTo(400);
        for (Response answer : answers) {
            long seq = answer.<Integer>path("seq");
            assertThat(stored.message(id, seq).get(Messages.MESSAGE_ID).s()).isEqualTo(answer.<String>path("messageId"));
        }
        List<Long> onKafka = TopicReader.seqs(TopicReader.await(Topics.MESSAGES, id, Duration.ofSeconds(20),
                values -> new HashSet<>(TopicReader.seqs(values)).size() == 400));
        assertThat(new HashSet<>(onKafka)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void twentyConcurrentSendsWithOneKeyCreateOneMessageAndTwentyIdenticalAnswers() throws Exception {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String key = newKey();

        List<Callable<Response>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sends.add(() -> Api.send(alice, id, key, "only once"));
        }
        List<Response> answers = runConcurrently(sends);

        assertThat(answers.stream().filter(a -> a.statusCode() == 201)).hasSize(1);
        List<String> finalBodies = new ArrayList<>();
        for (Response answer : answers) {
            Response last = answer.statusCode() == 409 ? sentAgainUntilAnswered(alice, id, key, answer) : answer;
            assertThat(last.statusCode()).isIn(200, 201);
            if (last.statusCode() == 200) {
                assertThat(last.header("Idempotent-Replayed")).isEqualTo("true");
            }
            finalBodies.add(last.asString());
        }
        assertThat(new HashSet<>(finalBodies)).hasSize(1);
        assertThat(new StoredState(dynamoDb).seqs(id)).containsExactly(1L);
    }

    /** Sends again, {@code Retry-After} apart (ten times at most), while the first send of the key is in progress. */
    private static Response sentAgainUntilAnswered(String userId, String conversationId, String key, Response inProgress) {
        AtomicReference<Response> last = new AtomicReference<>(inProgress);
        Duration retryAfter = Duration.ofSeconds(Long.parseLong(inProgress.header("Retry-After")));
        await("an answer other than 409 for key " + key).atMost(retryAfter.multipliedBy(10).plusSeconds(30))
                .pollDelay(retryAfter).pollInterval(retryAfter).until(() -> {
                    assertThat(last.get().<String>path("type")).endsWith("/request-in-progress");
                    assertThat(last.get().header("Retry-After")).isNotBlank();
                    last.set(Api.send(userId, conversationId, key, "only once"));
                    return last.get().statusCode() != 409;
                });
        return last.get();
    }

    /**
     * Writers race through HTTP and through two independent {@link MessageAppender}s (as other ingest
     * processes would, with their own turns and lastSeq guesses), while a reader keeps reading
     * lastSeq and then the log: every seq up to what it saw must already be there.
     */
    @Test
    void aReaderPollingWhileWritersRaceNeverSeesASeqBeforeTheOnesBelowIt() throws Exception {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);
        StoredState stored = new StoredState(dynamoDb);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicInteger partialSnapshots = new AtomicInteger();
        int total = 60 + 2 * 20;
        long committed;

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> reader = threads.submit(() -> {
                while (writing.get()) {
                    long lastSeq = stored.lastSeq(id);
                    List<Long> seqs = stored.seqs(id);
                    List<Long> prefix = LongStream.rangeClosed(1, seqs.size()).boxed().toList();
                    if (!seqs.equals(prefix) || seqs.size() < lastSeq) {
                        violation.compareAndSet(null, "lastSeq " + lastSeq + " but log " + seqs);
                    }
                    if (!seqs.isEmpty() && seqs.size() < total) {
                        partialSnapshots.incrementAndGet();
                    }
                }
            });
            List<Callable<Object>> writers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String sender = i % 2 == 0 ? alice : bob;
                writers.add(() -> Api.send(sender, id, newKey(), "http").statusCode());
            }
            for (int process = 0; process < 2; process++) {
                MessageAppender otherProcess = OtherProcess.appender(dynamoDb, tables, 4, Duration.ofSeconds(25),
                    config.append().retryBudget());
                for (int i = 0; i < 20; i++) {
                    writers.add(() -> otherProcess.append(atLeastOnce(id, alice, "direct")));
                }
            }
            List<Object> results;
            try {
                results = runConcurrently(writers);
            } finally {
                // A writer that failed must fail the test, not leave the reader polling forever.
                writing.set(false);
            }
            reader.get();
            // Retries are bounded (relay.ingest.append.retry-budget): on a loaded machine a writer may give
            // up with a clean refusal (503 / Contended, nothing written) instead of committing.
            assertThat(results).allSatisfy(result -> assertThat(result).satisfiesAnyOf(
                    r -> assertThat(r).isIn(201, 503),
                    r -> assertThat(r).isInstanceOfAny(AppendOutcome.Committed.class, AppendOutcome.Contended.class)));
            committed = results.stream().filter(r -> r.equals(201) || r instanceof AppendOutcome.Committed).count();
        }
        assertThat(violation.get()).isNull();
        assertThat(partialSnapshots.get()).as("reader snapshots taken mid-race").isPositive();
        assertThat(committed).as("writes committed").isGreaterThan(total / 2);
        assertThat(stored.seqs(id)).as("exactly the committed writes, gap-free")
                .isEqualTo(LongStream.rangeClosed(1, committed).boxed().toList());
    }

    private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
        return runConcurrently(tasks, tasks.size());
    }

    /** Runs the tasks with at most {@code inFlight} at once, and returns their results in order. */
    private static <T> List<T> runConcurrently(List<Callable<T>> tasks, int inFlight) throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(inFlight, Thread.ofVirtual().factory())) {
            List<Future<T>> futures = threads.invokeAll(tasks);
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
