package dev.relay.contract.validation;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;

/**
 * Valid Unicode text: every UTF-16 surrogate is part of a high-low pair. JSON lets a client write
 * a lone surrogate ({@code "\ud800"}); such a string has no UTF-8 form, so it is refused
 * (400 malformed-request) wherever a request carries text.
 */
public final class UnicodeText {

    private UnicodeText() {
    }

    /** The index of the first lone surrogate, or -1 when {@code text} is valid Unicode. */
    public static int loneSurrogateAt(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Why {@code text} is not valid Unicode, or null when it is. */
    public static String violation(CharSequence text) {
        int at = loneSurrogateAt(text);
        return at < 0 ? null : "is not valid Unicode text (a lone UTF-16 surrogate at index " + at + ")";
    }

    /** @throws RelayProblem malformed-request naming {@code field} when {@code text} is not valid Unicode */
    public static void require(String field, CharSequence text) {
        String violation = text == null ? null : violation(text);
        if (violation != null) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, field + " " + violation);
        }
    }

    /** Bytes of the UTF-8 form of valid Unicode {@code text}, without encoding it. */
    public static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
