package dev.relay.sync.read;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.Message;
import dev.relay.sync.config.SyncConfig;
import dev.relay.platform.dynamo.LogStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code GET /v1/conversations/{id}/messages}: a window of one conversation's log, ascending.
 * {@code after} pages forward from a seq, {@code before} (or neither: the newest) pages backward.
 * Windows are bounded by the committed {@code lastSeq} read first, and seq is gap-free, so
 * {@code hasMore} needs no extra read: forward, it is "stopped below lastSeq"; backward, "stopped above 1".
 */
@ApplicationScoped
public class History {

    private final MemberAccess access;
    private final LogStore log;
    private final SyncConfig config;

    public History(MemberAccess access, LogStore log, SyncConfig config) {
        this.access = access;
        this.log = log;
        this.config = config;
    }

    public HistoryPage page(String userId, String conversationId, Long before, Long after, Integer limit) {
        if (before != null && after != null) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "give before or after, not both");
        }
        if (before != null && before < 1) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "before must be a seq >= 1, was " + before);
        }
        if (after != null && after < 0) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "after must be a seq >= 0, was " + after);
        }
        int size = Limits.of(limit, config.historyDefaultLimit(), config.maxLimit());
        long lastSeq = access.lastSeqFor(userId, conversationId);
        return after != null ? forward(conversationId, after, size, lastSeq) : backward(conversationId, before, size, lastSeq);
    }

    private HistoryPage forward(String conversationId, long after, int size, long lastSeq) {
        if (after > lastSeq) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "conversation " + conversationId + ": after "
                    + after + " is above its last seq " + lastSeq);
        }
        PageBudget budget = new PageBudget(size, config.maxPageBytes());
        List<Message> page = new ArrayList<>();
        for (Message message : log.range(conversationId, after + 1, Math.min(lastSeq, after + size))) {
            if (!budget.admit(message)) {
                break;
            }
            page.add(message);
        }
        long reached = page.isEmpty() ? after : page.getLast().seq();
        return new HistoryPage(page, reached < lastSeq);
    }

    private HistoryPage backward(String conversationId, Long before, int size, long lastSeq) {
        long upper = before == null ? lastSeq : Math.min(before - 1, lastSeq);
        long from = Math.max(1, upper - size + 1);
        List<Message> window = log.range(conversationId, from, upper);
        PageBudget budget = new PageBudget(size, config.maxPageBytes());
        List<Message> page = new ArrayList<>();
        for (Message message : window.reversed()) {
            if (!budget.admit(message)) {
                break;
            }
            page.add(message);
        }
        Collections.reverse(page);
        return new HistoryPage(page, !page.isEmpty() && page.getFirst().seq() > 1);
    }
}
