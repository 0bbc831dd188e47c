package dev.relay.ingest.append;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Sends each transaction at once, on the caller's thread: one {@code TransactWriteItems} per request. */
public final class DynamoDbTransactions implements TransactionRunner {

    private final DynamoDbClient dynamoDb;

    public DynamoDbTransactions(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    @Override
    public CommitOutcome run(TransactionRequest request, long deadline) {
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(request.items()));
            return new CommitOutcome.Committed();
        } catch (TransactionCanceledException e) {
            return new CommitOutcome.Cancelled(e.cancellationReasons());
        }
    }
}
