package dev.relay.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** {@code /q/openapi} is served and describes exactly the operations of API.md that ingest serves. */
@QuarkusTest
class OpenApiTest {

    /** API.md "Auth", "Conversations (ingest)" and "Send (ingest)", path parameters written as {}. */
    private static final Map<String, Set<String>> API_MD = Map.of(
            "/v1/dev/tokens", Set.of("post"),
            "/v1/conversations", Set.of("post"),
            "/v1/conversations/{}/members", Set.of("post"),
            "/v1/conversations/{}/members/{}", Set.of("delete"),
            "/v1/conversations/{}/messages", Set.of("post"));

    private static final List<String> SEND_ERRORS = List.of("400", "401", "404", "409", "413", "422", "429", "503");

    @Test
    void theDocumentNamesEveryIngestPathOfTheApiAndNothingElse() {
        JsonPath document = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();

        assertThat(document.getString("openapi")).startsWith("3.");
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        Map<String, Set<String>> served = new TreeMap<>();
        paths.forEach((path, operations) -> served.put(path.replaceAll("\\{[^}]+}", "{}"),
                new TreeSet<>(operations.keySet().stream().filter(k -> !k.equals("parameters")).toList())));
        assertThat(served).isEqualTo(new TreeMap<>(API_MD));

        String send = paths.keySet().stream().filter(p -> p.endsWith("/messages")).findFirst().orElseThrow();
        Map<String, Map<String, Object>> responses = document.getMap("paths.'" + send + "'.post.responses");
        assertThat(responses).containsKeys("200", "201", "202");
        assertThat(responses).containsKeys(SEND_ERRORS.toArray(String[]::new));
        for (String status : SEND_ERRORS) {
            assertThat(document.getMap("paths.'" + send + "'.post.responses.'" + status + "'.content"))
                    .as("%s answers problem+json", status).containsKey("application/problem+json");
        }
    }

    @Test
    void theYamlDocumentIsServedToo() {
        String yaml = given().when().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(yaml).contains("openapi: 3.", "/v1/conversations:");
    }
}
