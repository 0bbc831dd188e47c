package dev.relay.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.relay.contract.problem.Problem;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.platform.dynamo.StoreContendedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The one place where failures become RFC 9457 {@code application/problem+json}. Client mistakes
 * keep their slug; a store that cannot be reached is 503 with {@code Retry-After}; only a bug is 500.
 */
public class ProblemExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);
    private static final int STORE_RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response relayProblem(RelayProblem problem, UriInfo uri) {
        return respond(problem.type(), problem.getMessage(), uri, problem.retryAfterSeconds());
    }

    /** A body Jackson refused: one detail naming the field and what it must be ({@link JsonErrorDetail}). */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return respond(ProblemType.MALFORMED_REQUEST, JsonErrorDetail.of(e), uri, null);
    }

    /** More specific than Quarkus's built-in mapper for this type, which would answer non-problem JSON. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return respond(ProblemType.UNAUTHORIZED, "a valid bearer token is required", uri, null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        // Membership is the only authorization Relay has, and it never reveals existence.
        return respond(ProblemType.CONVERSATION_NOT_FOUND, "no such conversation", uri, null);
    }

    /** A write that lost every bounded attempt to concurrent writers: nothing was written, a retry will do. */
    @ServerExceptionMapper
    public Response storeContended(StoreContendedException e, UriInfo uri) {
        LOG.warnf("store contended on %s: %s", uri.getPath(), e.getMessage());
        return respond(ProblemType.UNAVAILABLE, "the conversation is too busy right now; retry", uri,
                STORE_RETRY_AFTER_SECONDS);
    }

    @ServerExceptionMapper
    public Response storeUnreachable(SdkClientException e, UriInfo uri) {
        LOG.warnf("store unreachable on %s: %s", uri.getPath(), e.getMessage());
        return respond(ProblemType.UNAVAILABLE, "a store is unreachable; retry later", uri, STORE_RETRY_AFTER_SECONDS);
    }

    /**
     * The store answered but could not serve: throttled, failing, a table briefly missing (a
     * restore or restart), or a transaction cancelled by concurrent writes. The client retries; a request the store refused as invalid is our bug.
     */
    @ServerExceptionMapper
    public Response storeRefused(AwsServiceException e, UriInfo uri) {
        if (e.isThrottlingException() || e.statusCode() >= 500 || e instanceof ResourceNotFoundException
                || e instanceof TransactionCanceledException) {
            LOG.warnf("store unavailable on %s: %s", uri.getPath(), e.getMessage());
            return respond(ProblemType.UNAVAILABLE, "a store is unavailable; retry later", uri, STORE_RETRY_AFTER_SECONDS);
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            // Quarkus REST wraps what Jackson's parser refused (syntax, limits, bad values) in a bare 400.
            return unreadableJson(json, uri);
        }
        ProblemType type = switch (status) {
            case 401 -> ProblemType.UNAUTHORIZED;
            case 404 -> ProblemType.CONVERSATION_NOT_FOUND;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 503 -> ProblemType.UNAVAILABLE;
            default -> status >= 400 && status < 500 ? ProblemType.MALFORMED_REQUEST : null;
        };
        if (type == null) {
            return unexpected(e, uri);
        }
        if (status == 405 || status == 406 || status == 415) {
            return Response.status(status).type(ProblemType.MEDIA_TYPE)
                    .entity(new Problem(ProblemType.MALFORMED_REQUEST.type(), e.getResponse().getStatusInfo().getReasonPhrase(),
                            status, e.getMessage(), uri.getPath()))
                    .build();
        }
        return respond(type, e.getMessage(), uri, type == ProblemType.UNAVAILABLE ? STORE_RETRY_AFTER_SECONDS : null);
    }

    /**
     * The client closed the connection while its body was being read: nobody is left to hear an
     * answer, and it is no bug of ours. Anything else unreadable is.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, UriInfo uri) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException) {
                LOG.debugf("client closed the connection while sending %s", uri.getPath());
                return respond(ProblemType.MALFORMED_REQUEST, "the request body was cut off", uri, null);
            }
        }
        return unexpected(e, uri);
    }

    /**
     * Everything else is a bug, internal guards ({@link IllegalArgumentException},
     * {@link IllegalStateException}) included: client input is checked before it reaches them.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return Response.serverError().type(ProblemType.MEDIA_TYPE)
                .entity(new Problem(URI.create("about:blank"), "Internal error", 500,
                        "an unexpected error occurred", uri.getPath()))
                .build();
    }

    private static Response respond(ProblemType type, String detail, UriInfo uri, Integer retryAfterSeconds) {
        Response.ResponseBuilder response = Response.status(type.status())
                .type(ProblemType.MEDIA_TYPE)
                .entity(Problem.of(type, detail, uri.getPath()));
        if (retryAfterSeconds != null) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        if (type == ProblemType.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }
}
