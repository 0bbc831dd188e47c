package dev.relay.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Limits and timings of the send path; see API.md "Errors" and "Send", and the module README. */
@ConfigMapping(prefix = "relay.ingest")
public interface IngestConfig {

    /** Largest {@code body} accepted, in UTF-8 bytes (413 above). */
    @WithDefault("65536")
    int maxBodyBytes();

    /** Longest conversation title, in characters (400 above). */
    @WithDefault("256")
    int maxTitleLength();

    /** How long an {@code Idempotency-Key} is remembered; at least 24 h (API.md). */
    @WithDefault("25h")
    Duration idempotencyTtl();

    RateLimit rateLimit();

    Publish publish();

    Repair repair();

    Append append();

    /** Per-user token buckets, kept in Redis: sends (these top-level values), signals, conversations, members. */
    interface RateLimit {

        /** Sends a user may make in a burst (bucket capacity). */
        @WithDefault("100")
        int burst();

        /** Tokens added back per second. */
        @WithDefault("20")
        double perSecond();

        /** Longest wait for Redis; past it the send is let through (fail open) and counted. */
        @WithDefault("250ms")
        Duration timeout();

        /**
         * Buckets of their own for particular user ids (service accounts, load generators, test
         * users), e.g. {@code relay.ingest.rate-limit.users."bot-1".burst=1000}; every other user
         * gets {@link #burst()} and {@link #perSecond()}.
         */
        Map<String, Bucket> users();

        /** One user's bucket: capacity and refill. */
        interface Bucket {

            int burst();

            double perSecond();
        }

        /** At-most-once signals (typing, live state): a bucket of their own, so they cannot starve sends. */
        Signals signals();

        /** Conversations a user creates. */
        Conversations conversations();

        /** Members a user adds to conversations. */
        Members members();

        interface Signals {

            @WithDefault("30")
            int burst();

            @WithDefault("5")
            double perSecond();

            /** Buckets of their own for particular user ids, as {@link RateLimit#users()}. */
            Map<String, Bucket> users();
        }

        interface Conversations {

            @WithDefault("20")
            int burst();

            /** One every 6 s. */
            @WithDefault("0.1667")
            double perSecond();

            Map<String, Bucket> users();
        }

        interface Members {

            @WithDefault("60")
            int burst();

            @WithDefault("1")
            double perSecond();

            Map<String, Bucket> users();
        }
    }

    /** Producing committed messages to Kafka. */
    interface Publish {

        /** Longest a send waits for Kafka's ack before answering 201 anyway (the repair sweep covers it). */
        @WithDefault("2s")
        Duration ackTimeout();

        /** How often acked seqs are written back to the conversation item as {@code publishedSeq}. */
        @WithDefault("1s")
        Duration confirmInterval();

        /** Acked seqs not yet confirmable (a gap below them) are forgotten after this; the sweep covers them. */
        @WithDefault("30s")
        Duration confirmHorizon();
    }

    /** The repair sweep that publishes committed messages Kafka never acked. */
    interface Repair {

        /** How often the sweep runs. */
        @WithDefault("2s")
        Duration interval();

        /** A conversation is repaired once its oldest unconfirmed commit is older than this. */
        @WithDefault("5s")
        Duration grace();

        /** Conversations repaired per run. */
        @WithDefault("100")
        int conversationsPerRun();

        /** Messages published per conversation per run. */
        @WithDefault("500")
        int messagesPerConversation();
    }

    /** How a send's append commits the message to the log (docs/decisions/0001, 0002, 0006). */
    interface Append {

        /**
         * How long an append may wait, for its conversation's turn and a transaction together, before
         * it is answered 503 with nothing written; below the 30 s a typical HTTP client waits.
         */
        @WithDefault("25s")
        Duration maxWait();

        /**
         * How long an append may go on retrying after its first cancelled transaction (conflicts with
         * other writers, DynamoDB throttling the item) before it is answered 503 with nothing written.
         */
        @WithDefault("3s")
        Duration retryBudget();

        /** Appends of different conversations sharing transactions (docs/decisions/0001). */
        Group groupCommit();

        /** Kafka acks recorded by the next append's own transaction (docs/decisions/0002). */
        Acks acksInAppend();

        interface Group {

            /**
             * Off (the default, DynamoDB's own choice: docs/decisions/0001): each append attempt is
             * one transaction of its own, sent at once. The {@code local} profile turns it on for
             * DynamoDB Local, which runs one transaction at a time.
             */
            @WithDefault("false")
            boolean enabled();

            /**
             * Transactions this process keeps in flight at once; appends that arrive while all are
             * busy share the next one (up to 25 appends, 100 items).
             */
            @WithDefault("2")
            int committers();
        }

        interface Acks {

            /**
             * Off (the default: docs/decisions/0002): every ack is confirmed by the periodic pass
             * ({@code publish.confirm-interval}). The {@code local} profile turns it on for DynamoDB Local.
             */
            @WithDefault("false")
            boolean enabled();
        }
    }
}
