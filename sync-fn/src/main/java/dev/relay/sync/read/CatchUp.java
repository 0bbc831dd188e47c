package dev.relay.sync.read;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.SyncRequest;
import dev.relay.contract.wire.SyncResponse;
import dev.relay.platform.dynamo.MemberStore;
import dev.relay.platform.dynamo.Membership;
import dev.relay.platform.dynamo.MembershipStore;
import dev.relay.sync.config.SyncConfig;
import dev.relay.sync.dynamo.ConversationHead;
import dev.relay.sync.dynamo.ConversationHeadStore;
import dev.relay.platform.dynamo.LogStore;
import dev.relay.sync.read.SyncPlan.Slice;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/sync}: every message above the caller's cursors, in every conversation they
 * belong to, paged. Finding what changed costs no log read: the caller's conversations come from
 * the {@code by-user} index, their committed {@code lastSeq} from one consistent batch read, and
 * only conversations whose {@code lastSeq} is above the cursor are read, up to that {@code lastSeq}.
 * A message committed after the heads were read is left for the next call, never skipped: the
 * returned cursor of a conversation is the last seq actually returned, and every smaller seq was.
 */
@ApplicationScoped
public class CatchUp {

    private static final Logger LOG = Logger.getLogger(CatchUp.class);

    private final MembershipStore memberships;
    private final ConversationHeadStore heads;
    private final LogStore log;
    private final MemberStore members;
    private final SyncConfig config;
    private final SyncMetrics metrics;
    private final CatchUpPages pages;

    public CatchUp(MembershipStore memberships, ConversationHeadStore heads, LogStore log, MemberStore members,
                   SyncConfig config, SyncMetrics metrics, CatchUpPages pages) {
        this.memberships = memberships;
        this.heads = heads;
        this.log = log;
        this.members = members;
        this.config = config;
        this.metrics = metrics;
        this.pages = pages;
    }

    public SyncResponse sync(String userId, SyncRequest request) {
        long started = System.nanoTime();
        Map<String, Long> cursors = SyncRequests.cursors(request);
        int limit = SyncRequests.limit(request, config);

        List<Membership> mine = memberships.conversationsOf(userId);
        Map<String, ConversationHead> byId = heads.heads(mine.stream().map(Membership::conversationId).toList());
        List<ConversationHead> ordered = byId.values().stream().sorted(ConversationHead.MOST_RECENT_FIRST).toList();
        SyncRequests.requireCursorsWithin(ordered, cursors);
        SyncPlan plan = SyncPlan.of(ordered, cursors, limit);

        Map<String, List<Message>> read = new HashMap<>();
        Map<String, Membership> confirmed;
        try (Fork fork = new Fork(config.readConcurrency())) {
            List<Future<Boolean>> acks = acknowledge(fork, userId, mine, cursors);
            Future<Map<String, Membership>> confirming = fork.submit(() -> memberships.memberships(userId,
                    plan.slices().stream().map(Slice::conversationId).toList()));
            Map<String, Future<List<Message>>> ranges = new LinkedHashMap<>();
            Map<String, Long> singles = new HashMap<>();
            for (Slice slice : plan.slices()) {
                if (slice.size() == 1) {
                    singles.put(slice.conversationId(), slice.upTo());
                } else {
                    ranges.put(slice.conversationId(),
                            fork.submit(() -> log.range(slice.conversationId(), slice.after() + 1, slice.upTo())));
                }
            }
            Future<Map<String, Message>> single = fork.submit(() -> log.at(singles));
            Fork.join(single).forEach((id, message) -> read.put(id, List.of(message)));
            ranges.forEach((id, range) -> read.put(id, Fork.join(range)));
            confirmed = Fork.join(confirming);
            acks.forEach(Fork::join);
        }

        Map<String, Long> next = new LinkedHashMap<>();
        ordered.forEach(head -> next.put(head.conversationId(), cursors.getOrDefault(head.conversationId(), 0L)));
        PageBudget budget = new PageBudget(limit, config.maxPageBytes());
        List<Message> page = new ArrayList<>();
        for (Slice slice : plan.slices()) {
            if (!confirmed.containsKey(slice.conversationId())) {
                next.remove(slice.conversationId()); // left a moment ago; the index had not caught up
                continue;
            }
            long expected = slice.after() + 1;
            for (Message message : read.getOrDefault(slice.conversationId(), List.of())) {
                if (message.seq() != expected) {
                    LOG.errorf("conversation %s: seq %d missing below committed lastSeq %d", slice.conversationId(),
                            expected, slice.lastSeq());
                    break;
                }
                if (!budget.admit(message)) {
                    break;
                }
                page.add(message);
                next.put(slice.conversationId(), expected++);
            }
        }
        boolean hasMore = budget.exhausted() || ordered.stream().anyMatch(head -> {
            Long cursor = next.get(head.conversationId());
            return cursor != null && cursor < head.lastSeq();
        });

        metrics.sync(Duration.ofNanos(System.nanoTime() - started), page.size(), plan.changed(), plan.slices().size());
        pages.answered(userId, cursors, next, hasMore);
        return new SyncResponse(page, next, hasMore);
    }

    /**
     * Sending cursors acknowledges everything up to them: each cursor above the member's stored
     * {@code deliveredSeq} raises it (a conditional update that never lowers it, nor creates a
     * membership). The index's watermark may lag, which costs at most a no-op write.
     */
    private List<Future<Boolean>> acknowledge(Fork fork, String userId, List<Membership> mine,
                                              Map<String, Long> cursors) {
        List<Future<Boolean>> acks = new ArrayList<>();
        for (Membership membership : mine) {
            Long cursor = cursors.get(membership.conversationId());
            if (cursor != null && cursor > membership.deliveredSeq()) {
                acks.add(fork.submit(() -> members.raiseDeliveredSeq(membership.conversationId(), userId, cursor)));
            }
        }
        return acks;
    }
}
