package dev.relay.edge.alb;

import dev.relay.edge.ws.NodeDrain;
import dev.relay.platform.aws.SigningCredentials;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts the drain when the ALB starts draining this task's target. On a rollout or scale-in ECS first
 * deregisters the target (the ALB sends it no new upgrades, its WebSockets stay open), waits up to the
 * deregistration delay, and only then sends SIGTERM; draining on SIGTERM would spend that delay idle and
 * then squeeze the clients' reconnects into {@code stopTimeout}. So, while a target group is configured,
 * one thread asks {@code DescribeTargetHealth} for this target every {@code poll-interval} and runs
 * {@link NodeDrain#drain()} the first time the state is {@code draining}; then it stops polling. A failed
 * poll (API or metadata unreachable) is logged and retried on the next tick; SIGTERM still drains.
 */
@ApplicationScoped
public class TargetDrainWatch {

    private static final Logger LOG = Logger.getLogger(TargetDrainWatch.class);

    private final TargetHealthConfig config;
    private final SigningCredentials credentials;
    private final NodeDrain drain;
    private ScheduledExecutorService poller;
    private TargetHealthClient client;
    private String targetIp;
    private String lastState;

    public TargetDrainWatch(TargetHealthConfig config, SigningCredentials credentials, NodeDrain drain) {
        this.config = config;
        this.credentials = credentials;
        this.drain = drain;
    }

    synchronized void onStart(@Observes StartupEvent event) {
        if (config.targetGroupArn().filter(arn -> !arn.isBlank()).isEmpty()) {
            return;
        }
        if (config.targetIp().isEmpty() && config.metadataUri().isEmpty()) {
            LOG.warn("relay.edge.target-health.target-group-arn is set but neither target-ip nor metadata-uri "
                    + "(ECS_CONTAINER_METADATA_URI_V4): not watching the target; the drain starts on SIGTERM only");
            return;
        }
        client = new TargetHealthClient(config.endpoint().orElseGet(() -> TargetHealthClient.defaultEndpoint(
                config.region())), config.region(), credentials, config.requestTimeout());
        targetIp = config.targetIp().orElse(null);
        poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("edge-target-health").daemon().factory());
        long interval = Math.max(1, config.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::poll, 0, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    private void poll() {
        if (drain.draining()) {
            stop();
            return;
        }
        String state;
        try {
            if (targetIp == null) {
                targetIp = TaskAddress.fromMetadata(config.metadataUri().orElseThrow(), config.requestTimeout());
                LOG.infof("watching ALB target %s:%d", targetIp, config.targetPort());
            }
            state = client.state(config.targetGroupArn().orElseThrow(), targetIp, config.targetPort());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.warnf("target health poll failed (retried in %s): %s", config.pollInterval(), e.getMessage());
            return;
        }
        if (!state.equals(lastState)) {
            LOG.infof("ALB target %s:%d is %s", targetIp, config.targetPort(), state);
            lastState = state;
        }
        if ("draining".equals(state)) {
            stop();
            drain.drain();
        }
    }

    private synchronized void stop() {
        if (poller != null) {
            poller.shutdown();
        }
    }
}
