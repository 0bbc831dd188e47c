package dev.relay.edge.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.regex.Pattern;

/** This node's id, fixed for the life of the process: configured, or random per start. */
@ApplicationScoped
public class NodeIdentity {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String id;

    public NodeIdentity(EdgeConfig config) {
        this.id = config.nodeId().orElseGet(() -> "edge-" + UUID.randomUUID().toString().substring(0, 8));
        if (!NODE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("relay.edge.node-id must be 1-64 chars [A-Za-z0-9._-]");
        }
    }

    public String id() {
        return id;
    }
}
