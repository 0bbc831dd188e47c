package dev.relay.ingest;

import static io.restassured.RestAssured.given;

import dev.relay.localstack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Test fixture: ingest-fn's HTTP API as a given user, over real HTTP. */
final class Api {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private Api() {
    }

    /** A user id no other test uses, so rate-limit buckets and idempotency keys never collide. */
    static String newUser(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String token(String userId) {
        return TOKENS.computeIfAbsent(userId, id -> LocalStack.shared().tokens().forUser(id));
    }

    static RequestSpecification as(String userId) {
        return given().header("Authorization", "Bearer " + token(userId)).contentType(ContentType.JSON);
    }

    static String createConversation(String creator, String... members) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("members", List.of(members));
        body.put("title", "test");
        return as(creator).body(body).when().post("/v1/conversations")
                .then().statusCode(201).extract().path("conversationId");
    }

    static Response send(String userId, String conversationId, String idempotencyKey, String text) {
        RequestSpecification request = as(userId).body(Map.of("body", text));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when().post("/v1/conversations/{id}/messages", conversationId);
    }

    static Response send(String userId, String conversationId, String text) {
        return send(userId, conversationId, newKey(), text);
    }

    static String newKey() {
        return "k-" + UUID.randomUUID();
    }

    /** The sum of every sample of a metric on /q/metrics whose line starts with {@code prefix} (name, optionally labels). */
    static double metric(String prefix) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith(prefix)).mapToDouble(line ->
                Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
