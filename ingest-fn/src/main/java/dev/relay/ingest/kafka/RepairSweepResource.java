package dev.relay.ingest.kafka;

import dev.relay.ingest.config.RepairTriggerConfig;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One bounded repair sweep per request, for the Lambda build (where {@link RepairSweep}'s schedule is
 * paused). Answers 404 unless the trigger is enabled and the request carries
 * {@value #TRIGGER_HEADER}: {@value #TRIGGER_VALUE}. The header authenticates nothing: the path is
 * not a route of the HTTP API, so on AWS only the EventBridge schedule's direct invocation reaches it;
 * a sweep is idempotent (consumers deduplicate on conversationId + seq), so a stray call costs reads only.
 */
@Path("/internal/repair-sweep")
@Tag(name = "internal")
public class RepairSweepResource {

    static final String TRIGGER_HEADER = "x-relay-trigger";
    static final String TRIGGER_VALUE = "repair-sweep";

    private final RepairSweep sweep;
    private final RepairTriggerConfig trigger;

    public RepairSweepResource(RepairSweep sweep, RepairTriggerConfig trigger) {
        this.sweep = sweep;
        this.trigger = trigger;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Map<String, Integer> run(@HeaderParam(TRIGGER_HEADER) String header) {
        if (!trigger.triggered() || !TRIGGER_VALUE.equals(header)) {
            throw new NotFoundException();
        }
        return Map.of("published", sweep.sweep());
    }
}
