package dev.relay.platform.aws;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * What this process signs AWS requests with, outside the SDK's generated clients (the ElastiCache IAM
 * token, the edge's target health poll): the SDK's default credentials chain (on ECS the task role, on
 * Lambda the function's role, both refreshed by the chain before they expire) and the system clock.
 * Resolving may block (the ECS credentials endpoint), so call it off the event loop. Tests replace this
 * bean to sign with fixed credentials at a time they choose.
 */
@Singleton
public class SigningCredentials {

    private final AwsCredentialsProvider provider;
    private final Clock clock;

    public SigningCredentials() {
        this(DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
    }

    protected SigningCredentials(AwsCredentialsProvider provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
    }

    /** Current credentials; the chain caches them and refreshes before they expire. */
    public AwsCredentialsIdentity identity() {
        return provider.resolveCredentials();
    }

    /** The signing time of every signature made now. */
    public Clock clock() {
        return clock;
    }

    @PreDestroy
    void close() {
        if (provider instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Nothing to release that outlives the process.
            }
        }
    }
}
