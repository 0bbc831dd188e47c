package dev.relay.edge;

import dev.relay.localstack.LocalStackResource;
import dev.relay.localstack.ReadinessContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Order;

/** websocket-edge is ready only while dynamodb and redis answer. Last: it restarts the servers. */
@Order(Integer.MAX_VALUE)
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
class ReadinessTest extends ReadinessContract {

    @Override
    protected List<String> stores() {
        return List.of("dynamodb", "redis");
    }
}
