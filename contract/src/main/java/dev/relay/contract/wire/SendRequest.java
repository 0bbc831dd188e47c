package dev.relay.contract.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** Body of {@code POST /v1/conversations/{id}/messages}; a null qos means exactly-once. */
public record SendRequest(String body, Qos qos, JsonNode meta) {

    public Qos effectiveQos() {
        return qos == null ? Qos.EXACTLY_ONCE : qos;
    }
}
