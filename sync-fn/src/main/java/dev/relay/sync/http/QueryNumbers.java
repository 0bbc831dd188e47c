package dev.relay.sync.http;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import java.util.regex.Pattern;

/**
 * Numeric query parameters, parsed here rather than by JAX-RS: a failed JAX-RS conversion of a
 * query parameter is a 404, which would read as "conversation not found"; a bad number is a 400.
 * Only plain decimal digits with an optional minus are numbers ({@code +5}, {@code 1.0},
 * {@code 1e3}, {@code 0x10} are not); the ranges of each parameter are checked by its reader.
 */
final class QueryNumbers {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,30}");

    private QueryNumbers() {
    }

    static Long seq(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, name + " must be a whole number, was '" + clip(value) + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, name + " is out of range: at most "
                    + Long.MAX_VALUE + ", was " + clip(value));
        }
    }

    static Integer integer(String name, String value) {
        Long number = seq(name, value);
        if (number == null) {
            return null;
        }
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, name + " is out of range: " + number);
        }
        return number.intValue();
    }

    private static String clip(String value) {
        String shown = value.length() <= 32 ? value : value.substring(0, 32) + "…";
        return shown.codePoints().allMatch(c -> c >= 0x20 && c < 0x7f) ? shown : "(not printable)";
    }
}
