package dev.relay.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS's DynamoDB Local from its Maven jar, run from its own classpath (no Quarkus/AWS BOM). In
 * memory for tests; with a data directory for the local run, so data survives a restart.
 */
public final class DynamoDbServer extends WatchedServer {

    static final String REGION = "us-east-1";
    static final String ACCESS_KEY = "local";
    static final String SECRET_KEY = "local";
    private static final String MAIN_CLASS = "software.amazon.dynamodb.services.local.main.ServerRunner";

    private final int port;
    private final Path dataDir;
    private final Path lib;

    /** @param dataDir where tables persist, or null for in-memory */
    DynamoDbServer(int port, Path dir, Path dataDir, Path lib) {
        super(dir);
        this.port = port;
        this.dataDir = dataDir;
        this.lib = lib;
    }

    @Override
    public String name() {
        return "dynamodb";
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public boolean inMemory() {
        return dataDir == null;
    }

    /** A client for set-up and tests; the caller closes it. */
    public DynamoDbClient client() {
        return client(UrlConnectionHttpClient.builder());
    }

    /** A client over the given HTTP client (benchmarks pass a pooled one, as the apps use); the caller closes it. */
    public DynamoDbClient client(SdkHttpClient.Builder<?> http) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(http)
                .build();
    }

    @Override
    List<String> command() {
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry", "-sharedDb"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            dataDir.toFile().mkdirs();
            args.add("-dbPath");
            args.add(dataDir.toString());
        }
        return JavaCommand.of(List.of("-Xms64m", "-Xmx512m", "-Djava.library.path=" + lib), lib, MAIN_CLASS, args);
    }

    @Override
    void awaitReady() {
        try (DynamoDbClient client = client()) {
            awaitAnswer("DynamoDB Local on port " + port + " to list tables", Duration.ofSeconds(60), () -> {
                try {
                    client.listTables();
                    return true;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        }
    }
}
