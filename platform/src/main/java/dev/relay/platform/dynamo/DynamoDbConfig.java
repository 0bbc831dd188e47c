package dev.relay.platform.dynamo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the tables are: one deployment's prefix in front of every base name of {@code Tables}. */
@ConfigMapping(prefix = "relay.dynamodb")
public interface DynamoDbConfig {

    /** Put before each base table name, e.g. {@code prod-}; none locally. */
    Optional<String> tablePrefix();

    /** How long readiness waits for DynamoDB before reporting DOWN. */
    @WithDefault("2s")
    Duration healthTimeout();
}
