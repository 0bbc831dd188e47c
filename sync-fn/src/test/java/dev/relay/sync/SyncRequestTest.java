package dev.relay.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import dev.relay.contract.wire.InboxEntry;
import dev.relay.contract.wire.SyncResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code POST /v1/sync} refuses, and what it never shows. */
@QuarkusTest
class SyncRequestTest {

    @Inject
    Chats chats;

    @Test
    void cursorAboveLastSeqIsRefusedNamingTheConversationAndAcknowledgesNothing() {
        String member = Chats.user("member");
        String other = Chats.user("other");
        String fine = chats.create(other, member);
        String wrong = chats.create(other, member);
        chats.send(fine, other, "one");
        chats.send(fine, other, "two");
        chats.send(wrong, other, "only");

        Api.as(member).request().contentType(ContentType.JSON)
                .body(Api.json(Map.of("cursors", Map.of(fine, 2, wrong, 9))))
                .when().post("/v1/sync")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/malformed-request"))
                .body("detail", containsString("conversation " + wrong + ": cursor 9 is above its last seq 1"))
                .body("detail", org.hamcrest.Matchers.not(containsString(fine)));

        assertThat(Api.as(member).inboxEntry(fine).deliveredSeq()).as("nothing acknowledged by a refused call").isZero();
    }

    @Test
    void malformedBodiesAreRefusedAsMalformedRequest() {
        Api api = Api.as(Chats.user("member"));
        for (String body : new String[] {
                "{\"cursors\":{\"c1\":-1}}",
                "{\"cursors\":{\"c1\":null}}",
                "{\"cursors\":{\"bad id!\":1}}",
                "{\"cursors\":{\"c1\":\"x\"}}",
                "{\"limit\":0}",
                "{\"limit\":1001}",
                "{\"cursors\":[1,2]}",
                "not json"}) {
            api.request().contentType(ContentType.JSON).body(body)
                    .when().post("/v1/sync")
                    .then().statusCode(400).body("type", endsWith("/malformed-request"));
        }
    }

    @Test
    void anEmptyBodyIsANewDeviceWithNoCursors() {
        String member = Chats.user("member");
        String conversation = chats.create(member);
        chats.send(conversation, member, "mine");
        String body = Api.as(member).request().contentType(ContentType.JSON)
                .when().post("/v1/sync").then().statusCode(200).extract().asString();
        SyncResponse answer = Api.read(body, SyncResponse.class);
        assertThat(answer.messages()).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("mine"));
        assertThat(answer.cursors()).containsExactlyEntriesOf(Map.of(conversation, 1L));
    }

    @Test
    void callsWithoutAValidTokenAreUnauthorized() {
        given().contentType(ContentType.JSON).body("{}").when().post("/v1/sync")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("type", endsWith("/unauthorized"));
        String expired = dev.relay.localstack.LocalStack.shared().tokens().forUser("someone", Duration.ofMinutes(-5));
        given().auth().oauth2(expired).contentType(ContentType.JSON).body("{}").when().post("/v1/sync")
                .then().statusCode(401);
        given().when().get("/v1/conversations").then().statusCode(401);
    }

    @Test
    void nonMembersNeverSeeAConversationInSyncInboxOrHistory() {
        String insider = Chats.user("insider");
        String outsider = Chats.user("outsider");
        String conversation = chats.create(insider);
        chats.send(conversation, insider, "private");

        Device device = new Device(Api.as(outsider));
        SyncResponse answer = device.syncOnce(null);
        assertThat(answer.messages()).isEmpty();
        assertThat(answer.cursors()).isEmpty();
        SyncResponse probing = Api.as(outsider).sync(Map.of(conversation, 0L), null);
        assertThat(probing.messages()).as("a cursor for someone else's conversation is ignored").isEmpty();
        assertThat(probing.cursors()).doesNotContainKey(conversation);
        assertThat(Api.as(outsider).inbox()).extracting(InboxEntry::conversationId).doesNotContain(conversation);

        String hidden = Api.as(outsider).request().when().get("/v1/conversations/" + conversation + "/messages")
                .then().statusCode(404).body("type", endsWith("/conversation-not-found")).extract().path("detail");
        String missing = Api.as(outsider).request().when().get("/v1/conversations/no-such-conversation/messages")
                .then().statusCode(404).body("type", endsWith("/conversation-not-found")).extract().path("detail");
        assertThat(hidden).as("no existence leak").isEqualTo(missing);
    }

    @Test
    void aRemovedMemberStopsSeeingTheConversation() {
        String stays = Chats.user("stays");
        String leaves = Chats.user("leaves");
        String conversation = chats.create(stays, leaves);
        chats.send(conversation, stays, "before");
        Device device = new Device(Api.as(leaves));
        device.syncUntilDone(null);
        assertThat(device.received(conversation)).hasSize(1);

        chats.remove(conversation, leaves);
        chats.send(conversation, stays, "after");
        SyncResponse answer = device.syncOnce(null);
        assertThat(answer.messages()).isEmpty();
        assertThat(answer.cursors()).doesNotContainKey(conversation);
        assertThat(Api.as(leaves).inbox()).extracting(InboxEntry::conversationId).doesNotContain(conversation);
        Api.as(leaves).request().when().get("/v1/conversations/" + conversation + "/messages")
                .then().statusCode(404);
        assertThat(Api.as(stays).inboxEntry(conversation).lastSeq()).isEqualTo(2);
    }

    @Test
    void syncMetricsArePublished() {
        Api.as(Chats.user("metered")).sync(Map.of(), null);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("relay_sync_latency_seconds_count"))
                .body(containsString("relay_sync_messages_count"))
                .body(containsString("relay_sync_catchup_pages_count"))
                .body(containsString("relay_dynamodb_requests_total{operation=\"Query\""));
        assertThat(Metrics.sample("relay_sync_latency_seconds_count")).isPositive();
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
