package dev.relay.sync.http;

import dev.relay.contract.wire.SyncRequest;
import dev.relay.contract.wire.SyncResponse;
import dev.relay.platform.http.Caller;
import dev.relay.sync.read.CatchUp;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code POST /v1/sync}: catch-up after being offline; see API.md "Read". Blocking, on a worker thread. */
@Path("/v1/sync")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SyncResource {

    private final CatchUp catchUp;
    private final JsonWebToken caller;

    public SyncResource(CatchUp catchUp, JsonWebToken caller) {
        this.catchUp = catchUp;
        this.caller = caller;
    }

    @POST
    public SyncResponse sync(SyncRequest request) {
        return catchUp.sync(Caller.userId(caller), request);
    }
}
