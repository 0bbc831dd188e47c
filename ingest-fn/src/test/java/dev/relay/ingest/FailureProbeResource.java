package dev.relay.ingest;

import dev.relay.platform.dynamo.ConversationStore;
import dev.relay.platform.dynamo.TableNames;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Test-only endpoints (part of the app under {@code @QuarkusTest} only) that reach the shared
 * exception mapper with failures no client request can cause on purpose: internal guards, and a
 * {@link ConversationStore} over the real DynamoDB Local whose writes always lose to concurrent
 * writers, as they can under heavy contention (transactions cancelled with {@code
 * TransactionConflict}, batch items left unprocessed). Hidden from the OpenAPI document.
 */
@Path("/test/failures")
@Authenticated
public class FailureProbeResource {

    private final DynamoDbClient dynamoDb;
    private final TableNames tables;

    public FailureProbeResource(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    @POST
    @Operation(hidden = true)
    @Path("/illegal-argument")
    public Response illegalArgument() {
        throw new IllegalArgumentException("an internal guard failed");
    }

    @POST
    @Operation(hidden = true)
    @Path("/illegal-state")
    public Response illegalState() {
        throw new IllegalStateException("an internal invariant failed");
    }

    @POST
    @Operation(hidden = true)
    @Path("/contended/{conversationId}/members/{userId}")
    public Response contendedAdd(@PathParam("conversationId") String conversationId, @PathParam("userId") String userId) {
        new ConversationStore(contended(), tables).addMember(conversationId, userId);
        return Response.noContent().build();
    }

    @POST
    @Operation(hidden = true)
    @Path("/contended/conversations/{creator}/{member}")
    public Response contendedCreate(@PathParam("creator") String creator, @PathParam("member") String member) {
        new ConversationStore(contended(), tables).create(creator, "contended", List.of(member));
        return Response.noContent().build();
    }

    /** The real client, except that every transaction is cancelled by a conflict and no batch item is processed. */
    private DynamoDbClient contended() {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("transactWriteItems")) {
                        throw TransactionCanceledException.builder().message("Transaction cancelled")
                                .cancellationReasons(CancellationReason.builder().code("None").build(),
                                        CancellationReason.builder().code("TransactionConflict").build())
                                .build();
                    }
                    if (method.getName().equals("batchWriteItem") && args[0] instanceof BatchWriteItemRequest request) {
                        return BatchWriteItemResponse.builder().unprocessedItems(request.requestItems()).build();
                    }
                    if (method.isDefault()) {
                        // The Consumer-of-builder overloads: run on the proxy, so they reach the cases above.
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    try {
                        return method.invoke(dynamoDb, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
