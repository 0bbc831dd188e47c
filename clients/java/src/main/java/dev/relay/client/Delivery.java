package dev.relay.client;

/** How a message reached the application: a live push, or a {@code POST /v1/sync} page. */
public enum Delivery {
    PUSH,
    SYNC
}
