package dev.relay.ingest.append;

import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.config.IngestMetrics;
import dev.relay.ingest.kafka.PublishConfirmations;
import dev.relay.platform.dynamo.TableNames;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The app's {@link Committer}: the core ({@link TransactionCommitter} over {@link DynamoDbTransactions},
 * one {@code TransactWriteItems} per attempt, acks confirmed by the periodic pass), with each
 * optimisation whose key is on around it: {@code relay.ingest.append.group-commit.enabled}
 * ({@link GroupCommit}) and {@code relay.ingest.append.acks-in-append.enabled} ({@link AcksInAppend}).
 */
public final class Committers {

    @Produces
    @Singleton
    Committer committer(DynamoDbClient dynamoDb, TableNames tables, PublishConfirmations confirmations,
                        IngestConfig config, IngestMetrics metrics) {
        IngestConfig.Append append = config.append();
        TransactionRunner runner = new DynamoDbTransactions(dynamoDb);
        if (append.groupCommit().enabled()) {
            runner = new GroupCommit(runner, append.groupCommit().committers(), metrics.appendsPerTransaction(),
                    metrics.groupCommitReruns());
        }
        Committer committer = new TransactionCommitter(new AppendTransaction(tables::of), runner);
        return append.acksInAppend().enabled() ? new AcksInAppend(committer, confirmations) : committer;
    }
}
