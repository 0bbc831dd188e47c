package dev.relay.fanout.route;

/**
 * What routing one frame did.
 *
 * @param publishes          Redis publishes made (one per node, or one on the conversation channel)
 * @param conversationChannel true when the frame went to the large conversation's channel
 */
public record RouteOutcome(int publishes, boolean conversationChannel) {
}
