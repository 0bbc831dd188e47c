package dev.relay.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The ElastiCache IAM token, checked against a SigV4 signature computed here from the specification
 * (canonical request, string to sign, derived key), not by the SDK's signer; that computation is itself
 * checked against the worked example of AWS's SigV4 documentation.
 */
class ElastiCacheTokenSignerTest {

    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void tokenIsThePresignedConnectRequestWithoutItsScheme() {
        String token = new ElastiCacheTokenSigner("ingest", "relay-prod", "eu-west-1")
                .sign(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY), CLOCK);

        assertThat(token).doesNotStartWith("http").startsWith("relay-prod/?");
        Map<String, String> query = query(token);
        assertThat(query).containsEntry("Action", "connect")
                .containsEntry("User", "ingest")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                .containsEntry("X-Amz-Credential", ACCESS_KEY + "/20260102/eu-west-1/elasticache/aws4_request")
                .containsEntry("X-Amz-Date", "20260102T030405Z")
                .containsEntry("X-Amz-Expires", "900")
                .containsEntry("X-Amz-SignedHeaders", "host")
                .containsKey("X-Amz-Signature");
        assertThat(query.get("X-Amz-Signature")).isEqualTo(presignedSignature(query, "relay-prod"));
    }

    @Test
    void sessionCredentialsAddTheirTokenToTheSignedQuery() {
        String token = new ElastiCacheTokenSigner("edge", "relay-dev", "us-east-1")
                .sign(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, "session/token+1="), CLOCK);

        Map<String, String> query = query(token);
        assertThat(query).containsEntry("X-Amz-Security-Token", "session/token+1=")
                .containsEntry("X-Amz-Credential", ACCESS_KEY + "/20260102/us-east-1/elasticache/aws4_request");
        assertThat(query.get("X-Amz-Signature")).isEqualTo(presignedSignature(query, "relay-dev"));
    }

    @Test
    void aTokenSignedLaterIsAnotherToken() {
        ElastiCacheTokenSigner signer = new ElastiCacheTokenSigner("fanout", "relay-prod", "us-east-1");
        AwsBasicCredentials credentials = AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY);

        String first = signer.sign(credentials, CLOCK);
        String later = signer.sign(credentials, Clock.offset(CLOCK, java.time.Duration.ofMinutes(10)));

        assertThat(later).isNotEqualTo(first);
        assertThat(query(later)).containsEntry("X-Amz-Date", "20260102T031405Z");
    }

    @Test
    void theIndependentSignatureReproducesAwsWorkedExample() {
        // docs.aws.amazon.com, "Signature Version 4 signing process": GET iam.amazonaws.com ListUsers.
        String canonicalRequest = String.join("\n", "GET", "/", "Action=ListUsers&Version=2010-05-08",
                "content-type:application/x-www-form-urlencoded; charset=utf-8", "host:iam.amazonaws.com",
                "x-amz-date:20150830T123600Z", "", "content-type;host;x-amz-date", EMPTY_SHA256);

        assertThat(hex(sha256(canonicalRequest)))
                .isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(signature(canonicalRequest, "20150830T123600Z", "20150830", "us-east-1", "iam"))
                .isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    /** The signature of a presigned GET to host {@code /}, from every query parameter but the signature. */
    private static String presignedSignature(Map<String, String> query, String host) {
        String canonicalQuery = new TreeMap<>(query).entrySet().stream()
                .filter(e -> !e.getKey().equals("X-Amz-Signature"))
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String canonicalRequest = String.join("\n", "GET", "/", canonicalQuery, "host:" + host, "", "host",
                EMPTY_SHA256);
        String date = query.get("X-Amz-Date");
        String[] scope = query.get("X-Amz-Credential").split("/");
        return signature(canonicalRequest, date, scope[1], scope[2], scope[3]);
    }

    private static String signature(String canonicalRequest, String dateTime, String date, String region,
                                    String service) {
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", dateTime, scope, hex(sha256(canonicalRequest)));
        byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 asks. */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static Map<String, String> query(String token) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : token.substring(token.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
