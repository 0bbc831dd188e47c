package dev.relay.sync;

import dev.relay.localstack.LocalStackResource;
import dev.relay.localstack.ReadinessContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** sync-fn is ready only while dynamodb and kafka answer. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
class ReadinessTest extends ReadinessContract {

    @Override
    protected List<String> stores() {
        return List.of("dynamodb", "kafka");
    }
}
