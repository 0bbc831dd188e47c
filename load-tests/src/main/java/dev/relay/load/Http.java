package dev.relay.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few JSON-over-HTTP calls the benchmarks make, failing loudly on an unexpected status. */
final class Http {

    static final ObjectMapper JSON = RelayJson.newMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static JsonNode post(String url, String token, Object body, int expectedStatus) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("POST " + url + " → " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of every sample of a Prometheus counter whose line matches {@code name{...labelFilter...}}. */
    static double metric(String baseUrl, String name, String labelFilter) throws IOException, InterruptedException {
        return sample(metrics(baseUrl), name, labelFilter);
    }

    /** The app's {@code /q/metrics} text, for reading several samples from one scrape. */
    static String metrics(String baseUrl) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sum of every sample in {@code text} whose line matches {@code name{...labelFilter...}}. */
    static double sample(String text, String name, String labelFilter) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)})?\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        double sum = 0;
        while (m.find()) {
            if ((m.group(1) == null ? "" : m.group(1)).contains(labelFilter)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
