package dev.relay.fanout.route;

import dev.relay.contract.presence.PresenceEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recipients of one push grouped by the edge node that holds their connections: one entry, and
 * so one publish, per node however many of a node's users or devices it covers. A user with devices
 * on two nodes appears under both.
 *
 * @param recipientsByNode node id to the user ids connected there, both in ascending order
 */
public record DeliveryPlan(Map<String, List<String>> recipientsByNode) {

    public DeliveryPlan {
        recipientsByNode = Collections.unmodifiableMap(new TreeMap<>(recipientsByNode));
    }

    /** @param online each user's live presence entries (dead ones already left out) */
    public static DeliveryPlan of(Map<String, ? extends Collection<PresenceEntry>> online) {
        Map<String, SortedSet<String>> byNode = new TreeMap<>();
        online.forEach((userId, entries) -> entries.forEach(entry ->
                byNode.computeIfAbsent(entry.nodeId(), node -> new TreeSet<>()).add(userId)));
        Map<String, List<String>> plan = new TreeMap<>();
        byNode.forEach((node, users) -> plan.put(node, List.copyOf(new ArrayList<>(users))));
        return new DeliveryPlan(plan);
    }

    public int nodes() {
        return recipientsByNode.size();
    }

    public boolean isEmpty() {
        return recipientsByNode.isEmpty();
    }
}
