package dev.relay.ingest.append;

import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.platform.dynamo.TableNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads of the idempotency records that {@link MessageAppender#append} claims. A record exists only
 * once its message is committed (both are written in one transaction), so finding one means the
 * key's send is done, whatever is still happening to it (publishing, answering).
 */
@ApplicationScoped
public class IdempotencyStore {

    private final DynamoDbClient dynamoDb;
    private final String idempotency;

    public IdempotencyStore(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.idempotency = tables.of(Idempotency.NAME);
    }

    /**
     * What a send claiming {@code claim} would come to if the key is committed: {@link AppendOutcome.Replayed}
     * for the same conversation and request, {@link AppendOutcome.KeyReused} otherwise; empty while
     * no message holds the key. One strongly consistent GetItem (1 RCU).
     */
    public Optional<AppendOutcome> committed(String senderId, String conversationId, IdempotencyClaim claim) {
        Map<String, AttributeValue> stored = dynamoDb.getItem(b -> b.tableName(idempotency).consistentRead(true)
                .key(IdempotencyItems.key(senderId, claim.key()))).item();
        if (stored == null || stored.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(IdempotencyItems.outcome(stored, claim, conversationId));
    }
}
