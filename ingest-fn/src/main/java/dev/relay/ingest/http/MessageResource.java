package dev.relay.ingest.http;

import dev.relay.contract.wire.SendRequest;
import dev.relay.ingest.send.SendAnswer;
import dev.relay.ingest.send.SendHandler;
import dev.relay.platform.http.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/conversations/{id}/messages}: the send of API.md, for all three qos. */
@Path("/v1/conversations/{conversationId}/messages")
@Authenticated
@RunOnVirtualThread
@Tag(name = "send")
public class MessageResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final SendHandler sends;
    private final JsonWebToken token;

    public MessageResource(SendHandler sends, JsonWebToken token) {
        this.sends = sends;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a message", description = "Stored qos (exactly-once, the default, and at-least-once) "
            + "are durable in DynamoDB before 201 and numbered with a gap-free per-conversation seq; "
            + "at-most-once is pushed to online members only and answers 202.")
    @APIResponse(responseCode = "201", description = "Committed: {messageId, conversationId, seq, senderId, sentAt, qos}; Location set")
    @APIResponse(responseCode = "200", description = "Replay of the same key and request: the original answer, Idempotent-Replayed: true")
    @APIResponse(responseCode = "202", description = "at-most-once signal accepted: {conversationId, qos}")
    @APIResponse(responseCode = "400", description = "malformed-request, idempotency-key-required")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "404", description = "conversation-not-found (also when the caller is not a member)")
    @APIResponse(responseCode = "409", description = "request-in-progress (Retry-After set)")
    @APIResponse(responseCode = "413", description = "payload-too-large: body over 64 KiB UTF-8 or request over 96 KiB")
    @APIResponse(responseCode = "422", description = "idempotency-key-reused")
    @APIResponse(responseCode = "429", description = "rate-limited (Retry-After set)")
    @APIResponse(responseCode = "503", description = "unavailable: a store is down or the conversation too busy (Retry-After set)")
    public Response send(@PathParam("conversationId") String conversationId,
                         @Parameter(description = "Required for exactly-once; 1-128 chars [A-Za-z0-9._:-]")
                         @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                         SendRequest request) {
        SendAnswer answer = sends.send(Caller.userId(token), conversationId, idempotencyKey, request);
        return switch (answer) {
            case SendAnswer.Created created -> Response.created(location(created.result().conversationId(),
                    created.result().seq())).entity(created.result()).build();
            case SendAnswer.Replayed replayed -> Response.ok(replayed.result())
                    .location(location(replayed.result().conversationId(), replayed.result().seq()))
                    .header(IDEMPOTENT_REPLAYED, "true").build();
            case SendAnswer.Signalled signalled -> Response.accepted(signalled.accepted()).build();
        };
    }

    /** Where sync-fn serves the message: the history page that starts right at it. */
    private static java.net.URI location(String conversationId, long seq) {
        return UriBuilder.fromPath("/v1/conversations/{id}/messages")
                .queryParam("after", seq - 1).queryParam("limit", 1).build(conversationId);
    }
}
