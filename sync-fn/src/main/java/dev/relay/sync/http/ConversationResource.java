package dev.relay.sync.http;

import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.InboxPage;
import dev.relay.contract.wire.ReadRequest;
import dev.relay.platform.http.Caller;
import dev.relay.sync.read.History;
import dev.relay.sync.read.Inbox;
import dev.relay.sync.read.ReadMarks;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The read side of conversations: the inbox, history, read marks; see API.md "Read". Every call
 * is the caller's own view: membership is checked on each, and a conversation the caller is not
 * in is 404 like one that does not exist. Blocking, on worker threads.
 */
@Path("/v1/conversations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    private final Inbox inbox;
    private final History history;
    private final ReadMarks readMarks;
    private final JsonWebToken caller;

    public ConversationResource(Inbox inbox, History history, ReadMarks readMarks, JsonWebToken caller) {
        this.inbox = inbox;
        this.history = history;
        this.readMarks = readMarks;
        this.caller = caller;
    }

    @GET
    public InboxPage inbox(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return inbox.page(Caller.userId(caller), cursor, QueryNumbers.integer("limit", limit));
    }

    @GET
    @Path("/{conversationId}/messages")
    public HistoryPage history(@PathParam("conversationId") String conversationId,
                               @QueryParam("before") String before, @QueryParam("after") String after,
                               @QueryParam("limit") String limit) {
        return history.page(Caller.userId(caller), conversationId, QueryNumbers.seq("before", before),
                QueryNumbers.seq("after", after), QueryNumbers.integer("limit", limit));
    }

    /** 204 whether or not the mark rose: a lower one is accepted and ignored. */
    @POST
    @Path("/{conversationId}/read")
    @Consumes(MediaType.APPLICATION_JSON)
    public void markRead(@PathParam("conversationId") String conversationId, ReadRequest request) {
        readMarks.markRead(Caller.userId(caller), conversationId, request);
    }
}
