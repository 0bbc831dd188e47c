package dev.relay.edge.alb;

import dev.relay.platform.aws.SigningCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * {@code DescribeTargetHealth} of one target, over the Elastic Load Balancing v2 Query API (form POST,
 * XML answer), signed with SigV4 for service {@code elasticloadbalancing}. A hand-written call rather than
 * the SDK's {@code elasticloadbalancingv2} client: the SDK BOM in effect (2.37.5, from
 * quarkus-amazon-services) has no such module on this build's Maven mirror (which starts at 2.41.6), and
 * SDK modules must not mix versions. One action, one target, one field read.
 */
final class TargetHealthClient {

    private static final String VERSION = "2015-12-01";
    private static final Set<String> SET_BY_HTTP_CLIENT = Set.of("host", "content-length");

    private final HttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final URI endpoint;
    private final String region;
    private final SigningCredentials credentials;
    private final Duration timeout;

    TargetHealthClient(URI endpoint, String region, SigningCredentials credentials, Duration timeout) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The target's state ({@code initial}, {@code healthy}, {@code unhealthy}, {@code unused},
     * {@code draining}, {@code unavailable}), or {@code unknown} when the answer names no target.
     *
     * @throws IOException the call failed or AWS answered with an error
     */
    String state(String targetGroupArn, String targetId, int port) throws IOException, InterruptedException {
        String body = form(Map.of("Action", "DescribeTargetHealth", "Version", VERSION,
                "TargetGroupArn", targetGroupArn, "Targets.member.1.Id", targetId,
                "Targets.member.1.Port", Integer.toString(port)));
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.identity())
                .request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "elasticloadbalancing")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, credentials.clock()));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().forEachHeader((name, values) -> {
            if (!SET_BY_HTTP_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Document answer = parse(response.body());
        if (response.statusCode() != 200) {
            throw new IOException("DescribeTargetHealth answered " + response.statusCode() + " "
                    + text(answer.getDocumentElement(), "Code"));
        }
        NodeList health = answer.getElementsByTagName("TargetHealth");
        if (health.getLength() == 0) {
            return "unknown";
        }
        String state = text((Element) health.item(0), "State");
        return state.isEmpty() ? "unknown" : state;
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Document parse(byte[] xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("DescribeTargetHealth answer is not XML: " + e.getMessage(), e);
        }
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent == null ? null : parent.getElementsByTagName(tag);
        return found == null || found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
    }

    /** The region's public endpoint (in the VPC, the interface endpoint's private DNS answers for it). */
    static URI defaultEndpoint(String region) {
        return URI.create("https://elasticloadbalancing." + region + ".amazonaws.com/");
    }
}
