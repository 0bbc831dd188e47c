package dev.relay.platform.redis;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The ElastiCache IAM authentication token for one user of one cache: a SigV4 presigned (query string)
 * {@code GET http://<cache-name>/?Action=connect&User=<user>} for service {@code elasticache}, valid
 * 900 s, with the {@code http://} prefix removed. ElastiCache accepts it as the password of
 * {@code AUTH <user> <token>} within those 15 minutes; the connection it opened then lives up to 12 h.
 */
public final class ElastiCacheTokenSigner {

    /** The longest validity ElastiCache accepts, and what it is signed for. */
    public static final Duration VALIDITY = Duration.ofSeconds(900);

    private static final String SERVICE = "elasticache";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String user;
    private final String cacheName;
    private final String region;

    public ElastiCacheTokenSigner(String user, String cacheName, String region) {
        this.user = require(user, "user");
        this.cacheName = require(cacheName, "cache name");
        this.region = require(region, "region");
    }

    public String user() {
        return user;
    }

    /** A token signed with {@code credentials} at {@code clock}'s current instant. */
    public String sign(AwsCredentialsIdentity credentials, Clock clock) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("http://" + cacheName + "/"))
                .putRawQueryParameter("Action", "connect")
                .putRawQueryParameter("User", user)
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials)
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, VALIDITY)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        String url = signed.request().getUri().toString();
        return url.substring("http://".length());
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("ElastiCache IAM auth needs a " + what);
        }
        return value;
    }
}
