package dev.relay.fanout.http;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.fanout.config.FanoutConfig;
import dev.relay.fanout.kafka.DeadLetterReplayer;
import dev.relay.fanout.kafka.ReplayResult;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.common.KafkaException;

/**
 * Operator endpoint: re-publish dead letters to {@code messages} after the cause was fixed. Only for
 * tokens whose {@code groups} claim holds {@value #ADMIN_ROLE}.
 */
@Path("/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    public static final String ADMIN_ROLE = "relay-admin";
    private static final int RETRY_AFTER_SECONDS = 5;

    private final DeadLetterReplayer replayer;
    private final FanoutConfig.Replay config;

    public DeadLetterResource(DeadLetterReplayer replayer, FanoutConfig config) {
        this.replayer = replayer;
        this.config = config.replay();
    }

    /** {@code POST /v1/admin/dead-letters/replay?limit=n} → {@code {"replayed","remaining"}}. */
    @POST
    @Path("/replay")
    @RolesAllowed(ADMIN_ROLE)
    public ReplayResult replay(@QueryParam("limit") Integer limit) {
        int wanted = limit == null ? config.defaultLimit() : limit;
        if (wanted < 1 || wanted > config.maxLimit()) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "limit must be between 1 and " + config.maxLimit());
        }
        try {
            return replayer.replay(wanted).orElseThrow(() -> new RelayProblem(ProblemType.REQUEST_IN_PROGRESS,
                    "a replay is already running", RETRY_AFTER_SECONDS));
        } catch (KafkaException e) {
            throw new RelayProblem(ProblemType.UNAVAILABLE, "Kafka is unreachable; nothing was skipped", RETRY_AFTER_SECONDS);
        }
    }
}
