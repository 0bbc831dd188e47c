package dev.relay.contract.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import java.util.Iterator;
import java.util.Map;

/**
 * What a message's {@code meta} may be (API.md "Send"): absent, null, or a JSON object at most
 * {@link RequestLimits#MAX_META_DEPTH} levels deep, at most {@link RequestLimits#MAX_META_BYTES}
 * bytes as compact UTF-8 JSON, with valid Unicode in every name and string. Whatever passes can
 * be stored, published and rendered by every reader. A violation is 400 malformed-request naming
 * the limit.
 */
public final class MetaRules {

    private MetaRules() {
    }

    /** @throws RelayProblem malformed-request when {@code meta} breaks a rule */
    public static void require(JsonNode meta) {
        if (meta == null || meta.isNull() || meta.isMissingNode()) {
            return;
        }
        if (!meta.isObject()) {
            throw malformed("meta must be a JSON object");
        }
        long bytes = measure(meta, 1, "meta");
        if (bytes > RequestLimits.MAX_META_BYTES) {
            throw malformed("meta is " + bytes + " bytes of JSON; at most " + RequestLimits.MAX_META_BYTES + " are allowed");
        }
    }

    /**
     * Checks depth and text of {@code node} at {@code depth}, and returns the bytes of its compact
     * JSON. Stops at the first violation, so a deep tree costs no more than the limit.
     */
    private static long measure(JsonNode node, int depth, String path) {
        if (node.isContainerNode() && depth > RequestLimits.MAX_META_DEPTH) {
            throw malformed("meta is nested deeper than " + RequestLimits.MAX_META_DEPTH + " levels (at " + path + ")");
        }
        if (node.isObject()) {
            long bytes = 2;
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String childPath = path + "." + field.getKey();
                String violation = UnicodeText.violation(field.getKey());
                if (violation != null) {
                    throw malformed("a field name in " + path + " " + violation);
                }
                bytes += (first ? 0 : 1) + quotedLength(field.getKey()) + 1 + measure(field.getValue(), depth + 1, childPath);
                first = false;
                if (bytes > RequestLimits.MAX_META_BYTES) {
                    return bytes;
                }
            }
            return bytes;
        }
        if (node.isArray()) {
            long bytes = 2;
            for (int i = 0; i < node.size(); i++) {
                bytes += (i == 0 ? 0 : 1) + measure(node.get(i), depth + 1, path + "[" + i + "]");
                if (bytes > RequestLimits.MAX_META_BYTES) {
                    return bytes;
                }
            }
            return bytes;
        }
        if (node.isTextual()) {
            UnicodeText.require(path, node.textValue());
            return quotedLength(node.textValue());
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            // JSON has no infinity: stored, it could never be read back.
            throw malformed(path + " is a number out of range");
        }
        return node.toString().length();
    }

    /** Bytes of a JSON string literal: quotes, escapes (as Jackson writes them) and UTF-8. */
    private static long quotedLength(String text) {
        long bytes = 2 + UnicodeText.utf8Length(text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
                bytes += 1;
            } else if (c < 0x20) {
                bytes += 5;
            }
        }
        return bytes;
    }

    private static RelayProblem malformed(String detail) {
        return new RelayProblem(ProblemType.MALFORMED_REQUEST, detail);
    }
}
