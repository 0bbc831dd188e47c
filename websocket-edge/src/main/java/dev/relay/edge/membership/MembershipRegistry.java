package dev.relay.edge.membership;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.wire.MembershipEvent;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.delivery.FrameJson;
import dev.relay.edge.redis.ChannelSubscriber;
import dev.relay.platform.delivery.DeliveryConfig;
import dev.relay.platform.dynamo.ConversationStore;
import dev.relay.platform.dynamo.Membership;
import dev.relay.platform.dynamo.MembershipStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The conversations of the users connected to this node, kept current by the membership events
 * ingest-fn announces ({@link MembershipEvent} on {@code RedisKeys.MEMBERSHIP_CHANGES}, received on the
 * same Redis connection as this node's deliveries, so in order with them).
 *
 * <p>Invariants:
 * <ul>
 * <li>A user's conversations are read once, when their first connection here opens (the
 *     {@code by-user} index), then followed by events; events of the last {@link #REPLAY_MILLIS}
 *     are applied again after that read, which covers both events during the read and the index
 *     lagging behind a change made just before.</li>
 * <li>The channel of a conversation is subscribed while a local user belongs to it and it has at
 *     least {@code large-conversation-members} members: one below the size at which fanout starts
 *     publishing there, so a conversation growing past it loses no push. Every event re-reads the
 *     member count of a conversation held here.</li>
 * <li>Once a removal is received, nothing of that conversation reaches the removed user's
 *     connections here: what they held of it is dropped at once, later deliveries naming them are
 *     dropped (fanout may still route by a member list cached before the removal), and the channel
 *     no longer counts them — until an event adds them again.</li>
 * <li>Each event yields one {@code membership} frame to every local connection of the conversation's
 *     local members and of the user concerned, after the channel follows the new member count.</li>
 * </ul>
 * Member counts are read, channels followed, frames computed and users' conversations applied on
 * one thread, in event order, so a user whose conversations are being read gets each frame once.
 */
@ApplicationScoped
public class MembershipRegistry {

    private static final Logger LOG = Logger.getLogger(MembershipRegistry.class);
    /** How long events are kept for replay after a user's conversations were read. */
    static final long REPLAY_MILLIS = 10_000;
    private static final int REPLAY_MAX = 10_000;

    private final MembershipStore memberships;
    private final ConversationStore conversations;
    private final ChannelSubscriber subscriber;
    private final ConnectionRegistry connections;
    private final FrameJson json;
    private final int threshold;
    private final ExecutorService ordered = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("edge-membership").daemon().factory());
    private final ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, UserState> users = new HashMap<>();
    private final Map<String, ConversationState> held = new HashMap<>();
    private final ArrayDeque<Received> recent = new ArrayDeque<>();
    /** Conversations each local user was removed from while connected; read on every delivery. */
    private final Map<String, Set<String>> revoked = new ConcurrentHashMap<>();

    public MembershipRegistry(MembershipStore memberships, ConversationStore conversations, ChannelSubscriber subscriber,
                              ConnectionRegistry connections, FrameJson json, DeliveryConfig config) {
        this.memberships = memberships;
        this.conversations = conversations;
        this.subscriber = subscriber;
        this.connections = connections;
        this.json = json;
        this.threshold = config.largeConversationMembers();
    }

    private static final class UserState {
        int connections;
        boolean loaded;
        final Set<String> conversations = new HashSet<>();
        /** Events about this user received while their conversations were being read: followed after. */
        final List<Received> waiting = new ArrayList<>();
    }

    private static final class ConversationState {
        final Set<String> localUsers = new HashSet<>();
        boolean channel;
    }

    private static final class Received {
        final long atMillis;
        final MembershipEvent event;
        /** Set on the ordered thread once its frames went out. */
        boolean followed;

        Received(long atMillis, MembershipEvent event) {
            this.atMillis = atMillis;
            this.event = event;
        }
    }

    // ---- connections ----

    /** A connection opened: the first one of its user reads the user's conversations (off the event loop). */
    public synchronized void join(EdgeConnection connection) {
        UserState user = users.computeIfAbsent(connection.userId(), id -> new UserState());
        if (++user.connections == 1) {
            String userId = connection.userId();
            long startedAt = System.currentTimeMillis();
            reads.execute(() -> load(userId, user, startedAt));
        }
    }

    public synchronized void leave(EdgeConnection connection) {
        UserState user = users.get(connection.userId());
        if (user == null || --user.connections > 0) {
            return;
        }
        users.remove(connection.userId());
        revoked.remove(connection.userId());
        for (String conversationId : user.conversations) {
            ConversationState conversation = held.get(conversationId);
            if (conversation != null) {
                conversation.localUsers.remove(connection.userId());
                releaseIfUnused(conversationId, conversation);
            }
        }
    }

    /** Reads the user's conversations (blocking), then applies them on the ordered thread. */
    private void load(String userId, UserState user, long startedAt) {
        List<String> mine;
        List<String> nearLarge;
        try {
            mine = memberships.conversationsOf(userId).stream().map(Membership::conversationId).toList();
            nearLarge = mine.isEmpty() ? List.of() : conversations.withMoreMembersThan(mine, threshold - 1L);
        } catch (RuntimeException e) {
            LOG.warnf("conversations of a connected user unknown until their next connection: %s", e.getMessage());
            ordered.execute(() -> followWaiting(user));
            return;
        }
        ordered.execute(() -> loaded(userId, user, startedAt, mine, Set.copyOf(nearLarge)));
    }

    /**
     * On the ordered thread, so no event's frames are being computed meanwhile: the user's
     * conversations become known, recent events of the user apply again, and the user gets the frames
     * of events about others in their conversations that went out since the read began without them.
     */
    private void loaded(String userId, UserState user, long startedAt, List<String> mine, Set<String> channels) {
        List<EdgeConnection> targets;
        List<String> missed = new ArrayList<>();
        List<String> subscribedNow = new ArrayList<>();
        synchronized (this) {
            if (users.get(userId) != user) {
                return;
            }
            for (String conversationId : mine) {
                if (revokedFrom(userId, conversationId)) {
                    continue;
                }
                user.conversations.add(conversationId);
                ConversationState conversation = held.computeIfAbsent(conversationId, id -> new ConversationState());
                conversation.localUsers.add(userId);
                if (channels.contains(conversationId) && !conversation.channel) {
                    conversation.channel = true;
                    subscriber.add(RedisKeys.conversationChannel(conversationId));
                    subscribedNow.add(RedisKeys.conversationChannel(conversationId));
                }
            }
            user.loaded = true;
            long since = System.currentTimeMillis() - REPLAY_MILLIS;
            for (Received received : recent) {
                if (received.atMillis >= since && userId.equals(received.event.userId())) {
                    applyToUser(received.event, user);
                }
            }
            for (Received received : recent) {
                MembershipEvent event = received.event;
                if (received.followed && received.atMillis >= startedAt && !userId.equals(event.userId())
                        && user.conversations.contains(event.conversationId())) {
                    missed.add(json.write(new ServerFrame.Membership(event.conversationId(), event.userId(), event.change())));
                }
            }
            targets = missed.isEmpty() ? List.of() : connections.ofUser(userId);
        }
        if (!targets.isEmpty()) {
            // As in follow(): a pushed frame means the channels it implies already deliver here.
            subscribedNow.forEach(subscriber::awaitSubscribed);
        }
        for (EdgeConnection connection : targets) {
            missed.forEach(connection::push);
        }
        followWaiting(user);
    }

    /** On the ordered thread: the events about a user that waited for their conversations to be read. */
    private void followWaiting(UserState user) {
        List<Received> waiting;
        synchronized (this) {
            waiting = List.copyOf(user.waiting);
            user.waiting.clear();
        }
        waiting.forEach(received -> follow(received, false));
    }

    // ---- deliveries ----

    /** Local connections of the conversation's members, for a {@code Deliver} on its channel. */
    public synchronized Collection<EdgeConnection> localConnections(String conversationId) {
        ConversationState conversation = held.get(conversationId);
        if (conversation == null) {
            return List.of();
        }
        List<EdgeConnection> local = new ArrayList<>();
        for (String userId : conversation.localUsers) {
            local.addAll(connections.ofUser(userId));
        }
        return local;
    }

    /** True once the user's removal from the conversation was received here (and no re-add since). */
    public boolean revokedFrom(String userId, String conversationId) {
        Set<String> of = revoked.get(userId);
        return of != null && of.contains(conversationId);
    }

    // ---- events ----

    /** An announcement on the membership channel; called in order with this node's deliveries. */
    public void onEvent(MembershipEvent event) {
        if (event.conversationId() == null || event.userId() == null || !(event.added() || event.removed())) {
            LOG.debugf("ignored an incomplete membership event");
            return;
        }
        boolean follow;
        boolean heldBefore;
        Received received;
        synchronized (this) {
            received = remember(event);
            heldBefore = held.containsKey(event.conversationId());
            UserState user = users.get(event.userId());
            if (user != null) {
                applyToUser(event, user);
            }
            if (user != null && !user.loaded) {
                // Followed once the user's conversations are applied, so pushes after its frame arrive.
                user.waiting.add(received);
                return;
            }
            follow = heldBefore || user != null;
            if (!follow) {
                // Nobody here to tell now; a user whose conversations are being read gets it from loaded().
                received.followed = true;
            }
        }
        if (follow) {
            ordered.execute(() -> follow(received, heldBefore));
        }
    }

    /** The event's effect on a local user: their set, the conversation's local members, what they hold. */
    private void applyToUser(MembershipEvent event, UserState user) {
        String userId = event.userId();
        String conversationId = event.conversationId();
        if (event.removed()) {
            revoked.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(conversationId);
            user.conversations.remove(conversationId);
            ConversationState conversation = held.get(conversationId);
            if (conversation != null) {
                conversation.localUsers.remove(userId);
            }
            for (EdgeConnection connection : connections.ofUser(userId)) {
                connection.forget(conversationId);
            }
        } else {
            Set<String> of = revoked.get(userId);
            if (of != null) {
                of.remove(conversationId);
            }
            if (user.loaded) {
                user.conversations.add(conversationId);
                held.computeIfAbsent(conversationId, id -> new ConversationState()).localUsers.add(userId);
            }
        }
    }

    /**
     * On the ordered thread: tell everyone concerned and follow the member count with the channel.
     * A conversation held here before the event has its channel subscribed from one below the large
     * size, so one change cannot make it large without this node listening: its frames go first. A
     * conversation new here (the user concerned is its only local member) is counted first, and its
     * frame waits until a channel it needs is confirmed, so pushes after the frame arrive.
     */
    private void follow(Received received, boolean heldBefore) {
        String conversationId = received.event.conversationId();
        if (heldBefore) {
            tell(received);
            followCount(conversationId);
        } else {
            followCount(conversationId);
            subscriber.awaitSubscribed(RedisKeys.conversationChannel(conversationId));
            tell(received);
        }
    }

    private void tell(Received received) {
        MembershipEvent event = received.event;
        Set<EdgeConnection> targets = new LinkedHashSet<>();
        synchronized (this) {
            ConversationState conversation = held.get(event.conversationId());
            if (conversation != null) {
                for (String userId : conversation.localUsers) {
                    targets.addAll(connections.ofUser(userId));
                }
            }
            targets.addAll(connections.ofUser(event.userId()));
            received.followed = true;
        }
        String frame = json.write(new ServerFrame.Membership(event.conversationId(), event.userId(), event.change()));
        for (EdgeConnection connection : targets) {
            connection.push(frame);
        }
    }

    private void followCount(String conversationId) {
        Optional<Boolean> nearLarge = Optional.empty();
        try {
            nearLarge = Optional.of(conversations.withMoreMembersThan(List.of(conversationId), threshold - 1L)
                    .contains(conversationId));
        } catch (RuntimeException e) {
            LOG.warnf("member count of a changed conversation unknown; its channel stays as it was: %s", e.getMessage());
        }
        synchronized (this) {
            ConversationState conversation = held.get(conversationId);
            if (conversation == null) {
                return;
            }
            if (nearLarge.isPresent()) {
                boolean wanted = nearLarge.get() && !conversation.localUsers.isEmpty();
                if (wanted != conversation.channel) {
                    conversation.channel = wanted;
                    if (wanted) {
                        subscriber.add(RedisKeys.conversationChannel(conversationId));
                    } else {
                        subscriber.remove(RedisKeys.conversationChannel(conversationId));
                    }
                }
            }
            releaseIfUnused(conversationId, conversation);
        }
    }

    private void releaseIfUnused(String conversationId, ConversationState conversation) {
        if (conversation.localUsers.isEmpty()) {
            held.remove(conversationId);
            if (conversation.channel) {
                conversation.channel = false;
                subscriber.remove(RedisKeys.conversationChannel(conversationId));
            }
        }
    }

    private Received remember(MembershipEvent event) {
        long now = System.currentTimeMillis();
        Received received = new Received(now, event);
        recent.addLast(received);
        while (recent.size() > REPLAY_MAX || (!recent.isEmpty() && recent.peekFirst().atMillis < now - REPLAY_MILLIS)) {
            recent.removeFirst();
        }
        return received;
    }

    /** Channels of conversations held here (tests). */
    public synchronized boolean followsChannelOf(String conversationId) {
        ConversationState conversation = held.get(conversationId);
        return conversation != null && conversation.channel;
    }

    void stop(@Observes ShutdownEvent event) {
        ordered.shutdownNow();
        reads.shutdownNow();
        try {
            ordered.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
