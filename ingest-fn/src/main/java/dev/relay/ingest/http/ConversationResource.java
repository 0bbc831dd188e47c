package dev.relay.ingest.http;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.AddMemberRequest;
import dev.relay.contract.wire.Conversation;
import dev.relay.contract.wire.CreateConversationRequest;
import dev.relay.contract.wire.Ids;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.redis.MembershipChangePublisher;
import dev.relay.ingest.redis.UserRateLimiter;
import dev.relay.platform.dynamo.ConversationRecord;
import dev.relay.platform.dynamo.ConversationStore.MembershipChange;
import dev.relay.platform.dynamo.ConversationStore;
import dev.relay.platform.dynamo.MemberStore;
import dev.relay.platform.http.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Conversations and their membership (API.md "Conversations"). Only members act on a conversation;
 * to anyone else it does not exist (404). Creating conversations and adding members take a token
 * of the caller's own bucket (429). Membership changes are announced on Redis for the fanout
 * member caches.
 */
@Path("/v1/conversations")
@Authenticated
@RunOnVirtualThread
@Tag(name = "conversations")
public class ConversationResource {

    private final ConversationStore conversations;
    private final MemberStore members;
    private final MembershipChangePublisher changes;
    private final UserRateLimiter rateLimiter;
    private final IngestConfig config;
    private final JsonWebToken token;

    public ConversationResource(ConversationStore conversations, MemberStore members, MembershipChangePublisher changes,
                                UserRateLimiter rateLimiter, IngestConfig config, JsonWebToken token) {
        this.conversations = conversations;
        this.members = members;
        this.changes = changes;
        this.rateLimiter = rateLimiter;
        this.config = config;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a conversation; the caller is always a member, duplicates are ignored")
    @APIResponse(responseCode = "201", description = "{conversationId, title, members, lastSeq: 0, createdAt}")
    @APIResponse(responseCode = "400", description = "malformed-request (bad user id, over 10,000 members, title too long)")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "413", description = "payload-too-large: request over 96 KiB")
    @APIResponse(responseCode = "429", description = "rate-limited: too many conversations created (Retry-After set)")
    @APIResponse(responseCode = "503", description = "unavailable (Retry-After set)")
    public Response create(CreateConversationRequest request) {
        String caller = Caller.userId(token);
        if (request == null) {
            throw malformed("a JSON body {\"members\":[…],\"title\":…} is required");
        }
        Set<String> all = new LinkedHashSet<>();
        all.add(caller);
        List<String> requested = request.members() == null ? List.of() : request.members();
        for (String member : requested) {
            all.add(Ids.requireUserId(member));
        }
        if (all.size() > CreateConversationRequest.MAX_MEMBERS) {
            throw malformed("a conversation has at most " + CreateConversationRequest.MAX_MEMBERS + " members");
        }
        if (request.title() != null && request.title().length() > config.maxTitleLength()) {
            throw malformed("title is longer than " + config.maxTitleLength() + " characters");
        }
        requireToken(UserRateLimiter.Kind.CONVERSATION, caller, "too many conversations created; slow down");
        Conversation created = conversations.create(caller, request.title(), all);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @POST
    @Path("/{conversationId}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a member (the caller must be a member)")
    @APIResponse(responseCode = "204", description = "Added, or already a member")
    @APIResponse(responseCode = "400", description = "malformed-request (bad id, conversation full)")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "404", description = "conversation-not-found (also when the caller is not a member)")
    @APIResponse(responseCode = "429", description = "rate-limited: too many members added (Retry-After set)")
    @APIResponse(responseCode = "503", description = "unavailable (Retry-After set)")
    public Response addMember(@PathParam("conversationId") String conversationId, AddMemberRequest request) {
        String caller = Caller.userId(token);
        Ids.requireConversationId(conversationId);
        if (request == null) {
            throw malformed("a JSON body {\"userId\":…} is required");
        }
        String userId = Ids.requireUserId(request.userId());
        requireMember(conversationId, caller);
        requireToken(UserRateLimiter.Kind.MEMBER, caller, "too many members added; slow down");
        MembershipChange change = conversations.addMember(conversationId, userId);
        return switch (change) {
            case CHANGED -> {
                changes.changed(conversationId, userId, true);
                yield Response.noContent().build();
            }
            case UNCHANGED -> Response.noContent().build();
            case NO_CONVERSATION -> throw notFound();
            case FULL -> throw malformed("the conversation already has " + CreateConversationRequest.MAX_MEMBERS + " members");
        };
    }

    @DELETE
    @Path("/{conversationId}/members/{userId}")
    @Operation(summary = "Remove a member: yourself, or anyone if you created the conversation")
    @APIResponse(responseCode = "204", description = "Removed, or was not a member")
    @APIResponse(responseCode = "400", description = "malformed-request (bad id)")
    @APIResponse(responseCode = "401", description = "unauthorized")
    @APIResponse(responseCode = "404", description = "conversation-not-found (also when the caller is not a member, "
            + "or removes someone else without being the creator)")
    @APIResponse(responseCode = "503", description = "unavailable (Retry-After set)")
    public Response removeMember(@PathParam("conversationId") String conversationId, @PathParam("userId") String userId) {
        String caller = Caller.userId(token);
        Ids.requireConversationId(conversationId);
        Ids.requireUserId(userId);
        requireMember(conversationId, caller);
        if (!caller.equals(userId)) {
            ConversationRecord conversation = conversations.find(conversationId).orElseThrow(ConversationResource::notFound);
            if (!caller.equals(conversation.createdBy())) {
                throw notFound();
            }
        }
        MembershipChange change = conversations.removeMember(conversationId, userId);
        return switch (change) {
            case CHANGED -> {
                changes.changed(conversationId, userId, false);
                yield Response.noContent().build();
            }
            case UNCHANGED, FULL -> Response.noContent().build();
            case NO_CONVERSATION -> throw notFound();
        };
    }

    private void requireMember(String conversationId, String userId) {
        if (!members.isMember(conversationId, userId)) {
            throw notFound();
        }
    }

    /** Takes a token of the caller's bucket of {@code kind}, after the request was found valid (400 before 429). */
    private void requireToken(UserRateLimiter.Kind kind, String caller, String detail) {
        OptionalLong wait = rateLimiter.take(kind, caller);
        if (wait.isPresent()) {
            throw new RelayProblem(ProblemType.RATE_LIMITED, detail, (int) Math.max(1, (wait.getAsLong() + 999) / 1000));
        }
    }

    private static RelayProblem malformed(String detail) {
        return new RelayProblem(ProblemType.MALFORMED_REQUEST, detail);
    }

    private static RelayProblem notFound() {
        return new RelayProblem(ProblemType.CONVERSATION_NOT_FOUND, "no such conversation");
    }
}
