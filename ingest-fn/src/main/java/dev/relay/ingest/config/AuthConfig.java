package dev.relay.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Development token minting; verification itself is {@code mp.jwt.verify.*}. */
@ConfigMapping(prefix = "relay.auth")
public interface AuthConfig {

    DevTokens devTokens();

    interface DevTokens {

        /** Whether {@code POST /v1/dev/tokens} mints tokens. Refused at startup in the prod profile. */
        @WithDefault("false")
        boolean enabled();

        /** Lifetime of a minted token. */
        @WithDefault("1h")
        Duration lifetime();
    }
}
