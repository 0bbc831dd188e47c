package dev.relay.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** {@code Authorization} headers for fuzzing: mostly the caller's valid token, so the body is what is judged. */
public final class FuzzTokens {

    private FuzzTokens() {
    }

    /**
     * Ten in twelve the valid bearer token; else a forged signature, a truncated token, {@code alg:
     * none}, a correctly signed token whose subject is not a user id ({@code badSubject}), another
     * scheme, an empty header, or random text.
     */
    public static Arbitrary<String> around(String valid, String badSubject) {
        String[] parts = valid.split("\\.");
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just("Bearer " + valid)),
                Tuple.of(1, Arbitraries.of(
                        "Bearer " + parts[0] + "." + parts[1] + ".AAAA",
                        "Bearer " + valid.substring(0, valid.length() / 2),
                        "Bearer eyJhbGciOiJub25lIn0." + parts[1] + ".",
                        "Bearer " + badSubject,
                        "Basic YWxpY2U6c2VjcmV0", "Bearer", "")),
                Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(30).map(s -> "Bearer " + s)));
    }
}
