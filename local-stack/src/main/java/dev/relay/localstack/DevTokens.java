package dev.relay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Signs RS256 tokens with the local stack's dev key, for tests that act as a user without going
 * through ingest-fn's {@code POST /v1/dev/tokens}. Same claims as that endpoint: {@code iss},
 * {@code sub}, {@code iat}, {@code exp}.
 */
public final class DevTokens {

    private final PrivateKey key;

    public DevTokens(DevKeys keys) {
        try {
            String pem = Files.readString(keys.privateKey(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token for {@code userId} valid for one hour. */
    public String forUser(String userId) {
        return forUser(userId, Duration.ofHours(1));
    }

    /** A token that expires after {@code validFor} (negative for one that is already expired). */
    public String forUser(String userId, Duration validFor) {
        return forUser(userId, validFor, List.of());
    }

    /**
     * A one-hour token whose {@code groups} claim (the roles Quarkus checks, e.g. {@code relay-admin})
     * holds {@code groups}.
     */
    public String forUserInGroups(String userId, Collection<String> groups) {
        return forUser(userId, Duration.ofHours(1), groups);
    }

    private String forUser(String userId, Duration validFor, Collection<String> groups) {
        Instant now = Instant.now();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String groupsClaim = groups.isEmpty() ? "" : ",\"groups\":[" + String.join(",",
                groups.stream().map(g -> "\"" + g + "\"").toList()) + "]";
        String payload = "{\"iss\":\"" + DevKeys.ISSUER + "\",\"sub\":\"" + userId + "\",\"upn\":\"" + userId
                + "\",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(validFor).getEpochSecond()
                + groupsClaim + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
