package dev.relay.edge;

import dev.relay.platform.aws.SigningCredentials;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Signs with fixed test credentials at a time the test sets, so a test knows the next ElastiCache token
 * before the app signs it. Enabled only by the profiles that name it.
 */
@Alternative
@Singleton
public class FixedSigningCredentials extends SigningCredentials {

    static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDRELAYTEST",
            "relay/test/secret/key/not/used/anywhere");
    static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

    private final MovableClock clock;

    public FixedSigningCredentials() {
        this(new MovableClock(START));
    }

    private FixedSigningCredentials(MovableClock clock) {
        super(StaticCredentialsProvider.create(CREDENTIALS), clock);
        this.clock = clock;
    }

    /** Every signature from now on is made at {@code instant}. */
    void moveTo(Instant instant) {
        clock.now.set(instant);
    }

    private static final class MovableClock extends Clock {

        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
