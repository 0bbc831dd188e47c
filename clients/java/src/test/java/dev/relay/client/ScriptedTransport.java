package dev.relay.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Function;
import javax.net.ssl.SSLSession;

/** An {@link HttpTransport} that answers from a script, recording each request and its body: no server. */
final class ScriptedTransport implements HttpTransport {

    /** One recorded request. */
    record Call(String method, URI uri, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, List.of()).stream().findFirst().orElse(null);
        }
    }

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final Function<Call, CompletableFuture<HttpResponse<String>>> script;

    ScriptedTransport(Function<Call, CompletableFuture<HttpResponse<String>>> script) {
        this.script = script;
    }

    @Override
    public CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        Call call = new Call(request.method(), request.uri(), request.headers().map(), body(request));
        calls.add(call);
        return script.apply(call);
    }

    static CompletableFuture<HttpResponse<String>> answer(int status, String body, Map<String, String> headers) {
        return CompletableFuture.completedFuture(new Answer(status, body, headers));
    }

    static CompletableFuture<HttpResponse<String>> networkError() {
        return CompletableFuture.failedFuture(new IOException("connection reset"));
    }

    private static String body(HttpRequest request) {
        if (request.bodyPublisher().isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        CompletableFuture<Void> done = new CompletableFuture<>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                text.append(StandardCharsets.UTF_8.decode(item));
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.join();
        return text.toString();
    }

    private record Answer(int status, String text, Map<String, String> head) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return status;
        }

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(uri()).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            Map<String, List<String>> map = new java.util.HashMap<>();
            head.forEach((k, v) -> map.put(k, List.of(v)));
            return HttpHeaders.of(map, (k, v) -> true);
        }

        @Override
        public String body() {
            return text;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create("http://scripted/");
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
