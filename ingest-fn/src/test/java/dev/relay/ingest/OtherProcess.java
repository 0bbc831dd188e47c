package dev.relay.ingest;

import dev.relay.ingest.append.AppendTransaction;
import dev.relay.ingest.append.ConversationTurns;
import dev.relay.ingest.append.DynamoDbTransactions;
import dev.relay.ingest.append.GroupCommit;
import dev.relay.ingest.append.IdempotencyStore;
import dev.relay.ingest.append.MessageAppender;
import dev.relay.ingest.append.TransactionCommitter;
import dev.relay.ingest.append.TransactionRunner;
import dev.relay.platform.dynamo.LogStore;
import dev.relay.platform.dynamo.TableNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Appenders with turns and lastSeq guesses of their own, as another ingest process has them; they
 * record no acks in their appends and count nothing in the app's metrics.
 */
final class OtherProcess {

    private OtherProcess() {
    }

    /** An appender that group-commits with {@code committers} transactions in flight at once. */
    static MessageAppender appender(DynamoDbClient dynamoDb, TableNames tables, int committers, Duration maxWait,
                                    Duration retryBudget) {
        return appender(dynamoDb, tables, groupCommit(dynamoDb, committers), maxWait, retryBudget);
    }

    /** An appender whose transactions go through {@code runner}. */
    static MessageAppender appender(DynamoDbClient dynamoDb, TableNames tables, TransactionRunner runner,
                                    Duration maxWait, Duration retryBudget) {
        return new MessageAppender(new LogStore(dynamoDb, tables), new IdempotencyStore(dynamoDb, tables),
                new ConversationTurns(), new TransactionCommitter(new AppendTransaction(tables::of), runner), maxWait,
                retryBudget);
    }

    /** Group commit over {@code dynamoDb}'s transactions. */
    static GroupCommit groupCommit(DynamoDbClient dynamoDb, int committers) {
        SimpleMeterRegistry uncounted = new SimpleMeterRegistry();
        return new GroupCommit(new DynamoDbTransactions(dynamoDb), committers,
                DistributionSummary.builder("appends.per.transaction").register(uncounted),
                Counter.builder("reruns").register(uncounted));
    }
}
