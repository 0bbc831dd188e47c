package dev.relay.platform.dynamo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the tables are (one deployment's prefix in front of every base name of {@code Tables}) and how they are written. */
@ConfigMapping(prefix = "relay.dynamodb")
public interface DynamoDbConfig {

    /** Put before each base table name, e.g. {@code prod-}; none locally. */
    Optional<String> tablePrefix();

    /** How long readiness waits for DynamoDB before reporting DOWN. */
    @WithDefault("2s")
    Duration healthTimeout();

    /** How a process commits appends to the message log (ingest-fn). */
    Append append();

    interface Append {

        /**
         * Append transactions one process keeps in flight at once; appends that arrive while all
         * are busy share the next transaction (group commit, up to 25 appends in one).
         */
        @WithDefault("2")
        int concurrentTransactions();

        /**
         * How long an append may wait, for its conversation's turn and a transaction slot together,
         * before it is answered 503 with nothing written; below the 30 s a typical HTTP client waits.
         */
        @WithDefault("25s")
        Duration maxWait();

        /**
         * How long an append may go on retrying after its first cancelled transaction (conflicts with
         * other writers, DynamoDB throttling the item) before it is answered 503 with nothing written.
         */
        @WithDefault("3s")
        Duration retryBudget();
    }
}
