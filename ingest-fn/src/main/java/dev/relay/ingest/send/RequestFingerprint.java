package dev.relay.ingest.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.wire.Qos;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two sends with one {@code Idempotency-Key} "the same request": conversation, qos,
 * body and meta. {@code meta} is canonicalized (object fields sorted, recursively), so a retry that
 * serializes the same object in another field order is still the same request.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    /** Hex SHA-256 over the length-prefixed parts. */
    public static String of(String conversationId, Qos qos, String body, JsonNode meta) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
        StringBuilder canonicalMeta = new StringBuilder();
        if (meta != null && !meta.isNull()) {
            canonical(meta, canonicalMeta);
        }
        for (String part : new String[] {conversationId, qos.wire(), body, canonicalMeta.toString()}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) ':');
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                sorted.put(field.getKey(), field.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(quoted(field.getKey())).append(':');
                canonical(field.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    private static String quoted(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }
}
