package dev.relay.ingest.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;

/**
 * Development tokens let anyone act as any user, so a production deployment must never mint them:
 * in the {@code prod} profile the application refuses to start while they are enabled.
 */
@ApplicationScoped
public class DevTokenStartupCheck {

    static final String PROD_PROFILE = "prod";

    private final AuthConfig config;

    public DevTokenStartupCheck(AuthConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        refusal(ConfigUtils.getProfiles(), config.devTokens().enabled()).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    /** Why these profiles and setting must not start, or empty when they may. */
    static Optional<String> refusal(List<String> activeProfiles, boolean devTokensEnabled) {
        if (devTokensEnabled && activeProfiles.contains(PROD_PROFILE)) {
            return Optional.of("relay.auth.dev-tokens.enabled=true is refused in the prod profile: "
                    + "development tokens let anyone act as any user");
        }
        return Optional.empty();
    }
}
