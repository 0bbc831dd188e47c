package dev.relay.testing;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Generated requests sent concurrently, each answer checked by {@link ProblemAnswers}. */
public final class FuzzRun {

    /** Answers that broke the rules (with the request that got them), and how many were refused (≥ 400). */
    public record Outcome(List<String> violations, int refused) {
    }

    private FuzzRun() {
    }

    public static <R> Outcome send(List<R> requests, Function<R, Response> send, int threads)
            throws InterruptedException, ExecutionException {
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> sent = new ArrayList<>();
            for (R request : requests) {
                sent.add(pool.submit(() -> {
                    Response answer = send.apply(request);
                    if (answer.statusCode() >= 400) {
                        refused.incrementAndGet();
                    }
                    String violation = ProblemAnswers.violation(answer);
                    if (violation != null) {
                        violations.add(violation + " <- " + request);
                    }
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
        return new Outcome(List.copyOf(violations), refused.get());
    }
}
