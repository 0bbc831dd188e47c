package dev.relay.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SendRequest;
import org.junit.jupiter.api.Test;

class QosTest {

    private final ObjectMapper json = RelayJson.newMapper();

    @Test
    void missingQosMeansExactlyOnce() throws Exception {
        assertThat(json.readValue("{\"body\":\"hi\"}", SendRequest.class).effectiveQos())
                .isEqualTo(Qos.EXACTLY_ONCE);
    }

    @Test
    void unknownQosIsRejected() {
        assertThatThrownBy(() -> json.readValue("{\"body\":\"hi\",\"qos\":\"twice\"}", SendRequest.class))
                .hasMessageContaining("unknown qos 'twice'");
    }

    @Test
    void onlyAtMostOnceIsUnstored() {
        assertThat(Qos.AT_MOST_ONCE.stored()).isFalse();
        assertThat(Qos.AT_LEAST_ONCE.stored()).isTrue();
        assertThat(Qos.EXACTLY_ONCE.stored()).isTrue();
    }
}
