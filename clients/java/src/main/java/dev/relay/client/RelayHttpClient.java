package dev.relay.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Authenticated JSON calls; a 401 refreshes the token and repeats the request once. */
final class RelayHttpClient {

    /** A successful answer: status, parsed body (null when empty) and headers. */
    record Answer<T>(int status, T body, HttpHeaders headers) {
    }

    private final HttpTransport transport;
    private final TokenSource tokens;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Clock clock;

    RelayHttpClient(HttpTransport transport, TokenSource tokens, ObjectMapper json, Duration timeout, Clock clock) {
        this.transport = transport;
        this.tokens = tokens;
        this.json = json;
        this.timeout = timeout;
        this.clock = clock;
    }

    <T> CompletableFuture<Answer<T>> call(String method, URI uri, Object body, Map<String, String> headers, Class<T> type) {
        String payload;
        try {
            payload = body == null ? null : json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return tokens.get()
                .thenCompose(token -> once(method, uri, payload, headers, token))
                .thenCompose(response -> response.statusCode() == 401
                        ? tokens.refresh().thenCompose(token -> once(method, uri, payload, headers, token))
                        : CompletableFuture.completedFuture(response))
                .thenApply(response -> answer(response, type));
    }

    private CompletableFuture<HttpResponse<String>> once(String method, URI uri, String payload, Map<String, String> headers, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        if (payload != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = transport.send(request.build());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                RelayException.network(method + " " + uri, unwrap(failure))));
    }

    private <T> Answer<T> answer(HttpResponse<String> response, Class<T> type) {
        String text = response.body();
        if (response.statusCode() / 100 != 2) {
            throw problem(response);
        }
        try {
            T body = text == null || text.isBlank() || type == Void.class ? null : json.readValue(text, type);
            return new Answer<>(response.statusCode(), body, response.headers());
        } catch (JsonProcessingException e) {
            throw new RelayException("unreadable answer from " + response.uri() + ": " + e.getOriginalMessage(),
                    response.statusCode(), "unreadable-answer", null, null, e);
        }
    }

    private RelayException problem(HttpResponse<String> response) {
        JsonNode body = null;
        try {
            body = response.body() == null || response.body().isBlank() ? null : json.readTree(response.body());
        } catch (JsonProcessingException e) {
            // not problem+json: the status alone says what happened
        }
        String type = body == null ? "" : body.path("type").asText("");
        String slug = type.isEmpty() ? "http-" + response.statusCode() : type.substring(type.lastIndexOf('/') + 1);
        String detail = body == null ? "" : body.path("detail").asText(body.path("title").asText(""));
        Duration retryAfter = response.headers().firstValue("Retry-After").map(this::retryAfter).orElse(null);
        return new RelayException(response.statusCode() + " " + slug + ": " + detail, response.statusCode(), slug,
                retryAfter, body, null);
    }

    /** Retry-After in delta-seconds or as an HTTP date (RFC 9110 §10.2.3). */
    private Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration left = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return left.isNegative() ? Duration.ZERO : left;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
