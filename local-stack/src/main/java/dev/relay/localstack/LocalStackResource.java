package dev.relay.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} app at the JVM's shared local stack (started on first use, stopped
 * at JVM exit). Use with {@code @QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)}
 * or {@code @WithTestResource}.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return LocalStack.shared().quarkusConfig();
    }

    @Override
    public void stop() {
        // The shared stack outlives each Quarkus app restart; its shutdown hook stops it.
    }
}
