package dev.relay.localstack;

import java.nio.file.Path;
import java.util.List;

/** An existing DynamoDB table whose keys, indexes or TTL differ from its spec in {@code contract/}. */
public final class SchemaMismatchException extends IllegalStateException {

    private final String table;
    private final List<String> differences;

    SchemaMismatchException(String table, List<String> differences) {
        this(table, differences, "");
    }

    private SchemaMismatchException(String table, List<String> differences, String hint) {
        super("table " + table + " does not match contract/: " + String.join("; ", differences) + hint);
        this.table = table;
        this.differences = List.copyOf(differences);
    }

    /** The same mismatch, telling how to start over from an empty data directory. */
    SchemaMismatchException withResetHint(Path dataDir) {
        return new SchemaMismatchException(table, differences, ". The DynamoDB data in " + dataDir
                + " was made by another version: delete it to start clean (./relay reset deletes .relay/)");
    }

    public String table() {
        return table;
    }

    public List<String> differences() {
        return differences;
    }
}
