package dev.relay.edge.alb;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Watching this task's own ALB target: when {@code target-group-arn} is set ({@code %prod}:
 * {@code RELAY_EDGE_TARGET_GROUP_ARN}), the node polls its target's state and starts its drain once the
 * target is {@code draining}. Unset (dev, tests), nothing polls.
 */
@ConfigMapping(prefix = "relay.edge.target-health")
public interface TargetHealthConfig {

    /** The target group this task is registered in. */
    Optional<String> targetGroupArn();

    /** Time between two {@code DescribeTargetHealth} calls; the drain starts at most this late. */
    @WithDefault("5s")
    Duration pollInterval();

    /** The target's id (the task's IP in an {@code ip} target group); from the ECS task metadata when unset. */
    Optional<String> targetIp();

    /** The target's port: the container port the target group forwards to (the edge's TLS port). */
    @WithDefault("8443")
    int targetPort();

    /** ECS task metadata endpoint v4 ({@code ECS_CONTAINER_METADATA_URI_V4}): where the task learns its IP. */
    Optional<URI> metadataUri();

    /** Region of the target group (signature scope, default endpoint). */
    @WithDefault("us-east-1")
    String region();

    /** The Elastic Load Balancing API; {@code https://elasticloadbalancing.<region>.amazonaws.com/} when unset. */
    Optional<URI> endpoint();

    /** Bound of one metadata or API call. */
    @WithDefault("5s")
    Duration requestTimeout();
}
