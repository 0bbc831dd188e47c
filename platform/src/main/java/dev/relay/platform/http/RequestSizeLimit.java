package dev.relay.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.problem.Problem;
import dev.relay.contract.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared {@code Content-Length} is over {@code quarkus.http.limits.max-body-size}
 * with a problem+json 413, before Quarkus's own check (which answers with an empty body). Runs on the
 * event loop and does no I/O of its own. Bodies without a length (chunked) are cut off by Quarkus
 * while reading, which surfaces as a 413 through the shared exception mapper.
 *
 * <p>Installed in the apps that serve the public HTTP API ({@code relay.http.strict-json=true}),
 * each with {@code quarkus.http.limits.max-body-size=96K} (contract {@code RequestLimits.MAX_REQUEST_BYTES}).
 */
@ApplicationScoped
@IfBuildProperty(name = "relay.http.strict-json", stringValue = "true")
public class RequestSizeLimit {

    /** Before Quarkus's body-size route (order -2). */
    private static final int ORDER = -3;

    private final Optional<MemorySize> maxBodySize;
    private final ObjectMapper json;

    public RequestSizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
                            ObjectMapper json) {
        this.maxBodySize = maxBodySize;
        this.json = json;
    }

    void install(@Observes Router router) {
        maxBodySize.ifPresent(limit -> router.route().order(ORDER).handler(context -> check(context, limit.asLongValue())));
    }

    private void check(RoutingContext context, long limit) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length <= limit) {
            context.next();
            return;
        }
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "request body is over " + limit + " bytes", context.request().path());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document must serialize", e);
        }
        context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemType.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
