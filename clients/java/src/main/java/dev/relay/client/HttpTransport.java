package dev.relay.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP request and answers its response with the body as text. The default is the JDK's
 * {@link HttpClient}; tests replace it to lose answers or refuse connections on purpose.
 */
@FunctionalInterface
public interface HttpTransport {

    CompletableFuture<HttpResponse<String>> send(HttpRequest request);

    static HttpTransport of(HttpClient http) {
        return request -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
