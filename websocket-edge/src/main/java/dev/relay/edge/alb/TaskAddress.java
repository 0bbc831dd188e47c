package dev.relay.edge.alb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * This task's IP, as the ALB knows its target: the container's first IPv4 address in the ECS task
 * metadata endpoint v4 ({@code GET ${ECS_CONTAINER_METADATA_URI_V4}}, {@code Networks[0].IPv4Addresses[0]};
 * awsvpc mode, so the task's ENI address).
 */
final class TaskAddress {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskAddress() {
    }

    static String fromMetadata(URI metadataUri, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metadataUri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("task metadata answered " + response.statusCode());
        }
        JsonNode address = JSON.readTree(response.body()).path("Networks").path(0).path("IPv4Addresses").path(0);
        if (!address.isTextual() || address.asText().isBlank()) {
            throw new IOException("task metadata names no IPv4 address");
        }
        return address.asText();
    }
}
