package dev.relay.platform.dynamo;

import jakarta.enterprise.context.ApplicationScoped;

/** Physical table names: the configured prefix plus the contract's base name. */
@ApplicationScoped
public class TableNames {

    private final String prefix;

    public TableNames(DynamoDbConfig config) {
        this.prefix = config.tablePrefix().orElse("");
    }

    public String of(String baseName) {
        return prefix + baseName;
    }
}
