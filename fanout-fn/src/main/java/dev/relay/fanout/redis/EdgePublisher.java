package dev.relay.fanout.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.wire.RelayJson;
import dev.relay.fanout.metrics.FanoutMetrics;
import dev.relay.fanout.route.DeliveryPlan;
import dev.relay.fanout.route.UnroutableFrameException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Publishes {@link EdgeCommand.Deliver} JSON on edge nodes' channels: one command per node per
 * frame, all nodes of one frame in one pipelined round trip, so a frame's publishes reach Redis in
 * the order the frames were routed.
 */
@ApplicationScoped
public class EdgePublisher {

    private final RedisBatchClient redis;
    private final FanoutMetrics metrics;
    private final ObjectWriter json = RelayJson.newMapper().writerFor(EdgeCommand.class);

    public EdgePublisher(RedisBatchClient redis, FanoutMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
    }

    /** One publish per node of the plan, naming the node's recipients. */
    public void deliver(DeliveryPlan plan, ServerFrame frame) {
        List<Request> publishes = new ArrayList<>(plan.nodes());
        for (Map.Entry<String, List<String>> node : plan.recipientsByNode().entrySet()) {
            publishes.add(publish(RedisKeys.nodeChannel(node.getKey()), new EdgeCommand.Deliver(node.getValue(), frame)));
        }
        countUnheard(redis.send(publishes));
    }

    /** One publish on a large conversation's channel; every edge holding a member delivers it locally. */
    public void broadcast(String conversationId, ServerFrame frame) {
        countUnheard(redis.send(List.of(publish(RedisKeys.conversationChannel(conversationId),
                new EdgeCommand.Deliver(null, frame)))));
    }

    private Request publish(String channel, EdgeCommand command) {
        try {
            return Request.cmd(Command.PUBLISH).arg(channel).arg(json.writeValueAsString(command));
        } catch (JsonProcessingException e) {
            throw new UnroutableFrameException("the edge command cannot be written as JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A publish no node heard means presence pointed at a node that is gone; the client catches up by sync. */
    private void countUnheard(List<Response> receivers) {
        for (Response count : receivers) {
            if (count != null && count.toLong() == 0) {
                metrics.unheardPublish();
            }
        }
    }
}
