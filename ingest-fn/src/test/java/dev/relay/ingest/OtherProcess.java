package dev.relay.ingest;

import dev.relay.ingest.append.ConversationTurns;
import dev.relay.ingest.append.IdempotencyStore;
import dev.relay.ingest.append.MessageAppender;
import dev.relay.platform.dynamo.LogStore;
import dev.relay.platform.dynamo.TableNames;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Appenders with turns and lastSeq guesses of their own, as another ingest process has them. */
final class OtherProcess {

    private OtherProcess() {
    }

    /** An appender with {@code committers} transactions in flight at once, sharing the app's tables. */
    static MessageAppender appender(DynamoDbClient dynamoDb, TableNames tables, int committers, Duration maxWait,
                                    Duration retryBudget) {
        return new MessageAppender(dynamoDb, tables, new LogStore(dynamoDb, tables), new IdempotencyStore(dynamoDb, tables),
                new ConversationTurns(), committers, maxWait, retryBudget);
    }
}
