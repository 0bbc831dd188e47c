package dev.relay.contract.names;

import java.util.List;

/**
 * The one source of every DynamoDB table, key, attribute, index and TTL name. Code, the local stack
 * and Terraform all take their names from here; {@code NamesManifest} exports them for Terraform.
 *
 * <p>A deployment may put a prefix in front of each table name ({@code relay.dynamodb.table-prefix});
 * the base names below never change.
 */
public final class Tables {

    private Tables() {
    }

    /**
     * The conversation log: one item per stored message at ({@code conversationId}, {@code seq}).
     * An item at seq n is only ever written in the same transaction that moves the conversation's
     * {@code lastSeq} from n-1 to n, so seq is gap-free and in commit order.
     */
    public static final class Messages {
        public static final String NAME = "relay-messages";
        public static final String CONVERSATION_ID = "conversationId";
        public static final String SEQ = "seq";
        public static final String MESSAGE_ID = "messageId";
        public static final String SENDER_ID = "senderId";
        public static final String BODY = "body";
        public static final String META = "meta";
        public static final String SENT_AT = "sentAt";
        public static final String QOS = "qos";

        private Messages() {
        }
    }

    /**
     * One item per conversation. {@code lastSeq} is the highest committed seq; {@code publishedSeq}
     * the highest seq known to be on Kafka. While {@code lastSeq > publishedSeq} the item carries
     * {@code publishPending}, which puts it in the sparse {@code pending-publish} index that the
     * repair sweep reads.
     */
    public static final class Conversations {
        public static final String NAME = "relay-conversations";
        public static final String CONVERSATION_ID = "conversationId";
        public static final String LAST_SEQ = "lastSeq";
        public static final String PUBLISHED_SEQ = "publishedSeq";
        public static final String TITLE = "title";
        public static final String CREATED_BY = "createdBy";
        public static final String CREATED_AT = "createdAt";
        public static final String LAST_ACTIVITY_AT = "lastActivityAt";
        public static final String MEMBER_COUNT = "memberCount";
        public static final String PUBLISH_PENDING = "publishPending";
        public static final String COMMITTED_AT = "committedAt";
        public static final String PENDING_PUBLISH_INDEX = "pending-publish";

        private Conversations() {
        }
    }

    /**
     * Membership at ({@code conversationId}, {@code userId}); {@code deliveredSeq} and
     * {@code readSeq} only ever rise. The {@code by-user} index lists a user's conversations.
     */
    public static final class Members {
        public static final String NAME = "relay-members";
        public static final String CONVERSATION_ID = "conversationId";
        public static final String USER_ID = "userId";
        public static final String DELIVERED_SEQ = "deliveredSeq";
        public static final String READ_SEQ = "readSeq";
        public static final String JOINED_AT = "joinedAt";
        public static final String BY_USER_INDEX = "by-user";

        private Members() {
        }
    }

    /**
     * Idempotency records at ({@code senderId}, {@code idempotencyKey}), written in the send
     * transaction and expired by DynamoDB TTL on {@code expiresAt} (epoch seconds).
     */
    public static final class Idempotency {
        public static final String NAME = "relay-idempotency";
        public static final String SENDER_ID = "senderId";
        public static final String IDEMPOTENCY_KEY = "idempotencyKey";
        public static final String FINGERPRINT = "fingerprint";
        public static final String CONVERSATION_ID = "conversationId";
        public static final String MESSAGE_ID = "messageId";
        public static final String SEQ = "seq";
        public static final String SENT_AT = "sentAt";
        public static final String QOS = "qos";
        public static final String EXPIRES_AT = "expiresAt";

        private Idempotency() {
        }
    }

    /** Every table's base name, for set-up and agreement checks. */
    public static List<String> all() {
        return specs().stream().map(TableSpec::name).toList();
    }

    /** The keys, indexes and TTL of every table: what the local stack creates and Terraform declares. */
    public static List<TableSpec> specs() {
        return List.of(
                new TableSpec(Messages.NAME,
                        TableSpec.string(Messages.CONVERSATION_ID), TableSpec.number(Messages.SEQ),
                        List.of(), null),
                new TableSpec(Conversations.NAME,
                        TableSpec.string(Conversations.CONVERSATION_ID), null,
                        List.of(new TableSpec.Index(Conversations.PENDING_PUBLISH_INDEX,
                                TableSpec.string(Conversations.PUBLISH_PENDING),
                                TableSpec.number(Conversations.COMMITTED_AT))),
                        null),
                new TableSpec(Members.NAME,
                        TableSpec.string(Members.CONVERSATION_ID), TableSpec.string(Members.USER_ID),
                        List.of(new TableSpec.Index(Members.BY_USER_INDEX,
                                TableSpec.string(Members.USER_ID),
                                TableSpec.string(Members.CONVERSATION_ID))),
                        null),
                new TableSpec(Idempotency.NAME,
                        TableSpec.string(Idempotency.SENDER_ID), TableSpec.string(Idempotency.IDEMPOTENCY_KEY),
                        List.of(), Idempotency.EXPIRES_AT));
    }
}
