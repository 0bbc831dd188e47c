package dev.relay.contract.wire;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import java.util.regex.Pattern;

/** Syntax of the identifiers clients send; a violation is 400 malformed-request. */
public final class Ids {

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Ids() {
    }

    public static boolean isUserId(String value) {
        return value != null && USER_ID.matcher(value).matches();
    }

    public static boolean isConversationId(String value) {
        return value != null && CONVERSATION_ID.matcher(value).matches();
    }

    public static boolean isIdempotencyKey(String value) {
        return value != null && IDEMPOTENCY_KEY.matcher(value).matches();
    }

    public static boolean isDeviceId(String value) {
        return value != null && DEVICE_ID.matcher(value).matches();
    }

    public static String requireUserId(String value) {
        return require(isUserId(value), value, "user id", "1-64 chars [A-Za-z0-9._@-]");
    }

    public static String requireConversationId(String value) {
        return require(isConversationId(value), value, "conversation id", "1-64 chars [A-Za-z0-9._-]");
    }

    public static String requireIdempotencyKey(String value) {
        return require(isIdempotencyKey(value), value, "Idempotency-Key", "1-128 chars [A-Za-z0-9._:-]");
    }

    private static String require(boolean ok, String value, String what, String rule) {
        if (!ok) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "invalid " + what + ": expected " + rule);
        }
        return value;
    }
}
