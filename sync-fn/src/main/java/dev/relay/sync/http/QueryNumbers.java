package dev.relay.sync.http;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;

/**
 * Numeric query parameters, parsed here rather than by JAX-RS: a failed JAX-RS conversion of a
 * query parameter is a 404, which would read as "conversation not found"; a bad number is a 400.
 */
final class QueryNumbers {

    private QueryNumbers() {
    }

    static Long seq(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, name + " must be a whole number, was '" + clip(value) + "'");
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
        return value.length() <= 32 ? value : value.substring(0, 32) + "…";
    }
}
