package dev.relay.sync;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.InboxEntry;
import dev.relay.contract.wire.InboxPage;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SyncRequest;
import dev.relay.contract.wire.SyncResponse;
import dev.relay.localstack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** sync-fn over real HTTP as one user, with a token signed by the local stack's dev key. */
public final class Api {

    private static final ObjectMapper JSON = RelayJson.newMapper();

    private final String userId;
    private final String token;

    private Api(String userId) {
        this.userId = userId;
        this.token = LocalStack.shared().tokens().forUser(userId);
    }

    public static Api as(String userId) {
        return new Api(userId);
    }

    public String userId() {
        return userId;
    }

    public RequestSpecification request() {
        return given().auth().oauth2(token);
    }

    public SyncResponse sync(Map<String, Long> cursors, Integer limit) {
        String body = request().contentType(ContentType.JSON).body(json(new SyncRequest(cursors, limit)))
                .when().post("/v1/sync")
                .then().statusCode(200).extract().asString();
        return read(body, SyncResponse.class);
    }

    public HistoryPage history(String conversationId, String query) {
        String body = request().when().get("/v1/conversations/" + conversationId + "/messages" + query)
                .then().statusCode(200).extract().asString();
        return read(body, HistoryPage.class);
    }

    public InboxPage inboxPage(String cursor, Integer limit) {
        RequestSpecification request = request();
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        if (limit != null) {
            request.queryParam("limit", limit);
        }
        return read(request.when().get("/v1/conversations").then().statusCode(200).extract().asString(), InboxPage.class);
    }

    /** Every inbox entry, following cursors to the end. */
    public List<InboxEntry> inbox() {
        List<InboxEntry> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            InboxPage answer = inboxPage(cursor, 200);
            all.addAll(answer.conversations());
            cursor = answer.cursor();
            if (cursor == null) {
                return all;
            }
        }
        throw new AssertionError("inbox never ended");
    }

    public InboxEntry inboxEntry(String conversationId) {
        return inbox().stream().filter(e -> e.conversationId().equals(conversationId)).findFirst()
                .orElseThrow(() -> new AssertionError(conversationId + " not in the inbox of " + userId));
    }

    public void markRead(String conversationId, long seq) {
        request().contentType(ContentType.JSON).body("{\"seq\":" + seq + "}")
                .when().post("/v1/conversations/" + conversationId + "/read")
                .then().statusCode(204);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable answer: " + json, e);
        }
    }
}
