package dev.relay.fanout;

import dev.relay.localstack.LocalStackResource;
import dev.relay.localstack.ReadinessContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** fanout-fn is ready only while dynamodb and kafka and redis answer. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
class ReadinessTest extends ReadinessContract {

    @Override
    protected List<String> stores() {
        return List.of("dynamodb", "kafka", "redis");
    }
}
