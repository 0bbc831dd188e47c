package dev.relay.infra.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.names.NamesManifest;
import dev.relay.contract.names.Tables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generated {@code modules/names/names.tf.json}: {@link NamesManifest#asMap()} as the local
 * value {@code names}, plus {@code table_roles} (base table name per role, from {@link Tables}) so
 * IAM policies can pick a table without spelling its name. Keys are sorted, so the text depends
 * only on the contract.
 */
final class NamesFile {

    static final String REGENERATE = "./mvnw -f infra/terraform-check/pom.xml test -Dtest=NamesAgreementTest -Drelay.names.regenerate=true";

    private static final ObjectMapper JSON = new ObjectMapper();

    private NamesFile() {
    }

    static Path path(Path terraformDir) {
        return terraformDir.resolve("modules/names/names.tf.json");
    }

    static Map<String, String> tableRoles() {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("messages", Tables.Messages.NAME);
        roles.put("conversations", Tables.Conversations.NAME);
        roles.put("members", Tables.Members.NAME);
        roles.put("idempotency", Tables.Idempotency.NAME);
        return roles;
    }

    static String render() {
        Map<String, Object> locals = new LinkedHashMap<>();
        locals.put("names", NamesManifest.asMap());
        locals.put("table_roles", tableRoles());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("//", "Generated from dev.relay.contract.names.NamesManifest by NamesAgreementTest; do not edit. Regenerate: " + REGENERATE);
        root.put("locals", locals);
        StringBuilder out = new StringBuilder();
        write(root, "", out, false);
        return out.append('\n').toString();
    }

    /** Every physical name in the manifest: its string leaves, except key types (S, N). */
    static List<String> physicalNames() {
        List<String> names = new ArrayList<>();
        collect(NamesManifest.asMap(), null, names);
        return names.stream().distinct().toList();
    }

    private static void collect(Object value, String key, List<String> names) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, String.valueOf(k), names));
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> collect(v, key, names));
        } else if (value instanceof String s && !"type".equals(key)) {
            names.add(s);
        }
    }

    private static void write(Object value, String indent, StringBuilder out, boolean sortKeys) {
        String inner = indent + "  ";
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            Map<String, Object> entries = sortKeys ? new TreeMap<>() : new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(String.valueOf(k), v));
            out.append("{\n");
            int n = 0;
            for (Map.Entry<String, Object> entry : entries.entrySet()) {
                out.append(inner).append(scalar(entry.getKey())).append(": ");
                write(entry.getValue(), inner, out, true);
                out.append(++n < entries.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (value instanceof Collection<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            int n = 0;
            for (Object element : list) {
                out.append(inner);
                write(element, inner, out, true);
                out.append(++n < list.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else {
            out.append(scalar(value));
        }
    }

    private static String scalar(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON scalar: " + value, e);
        }
    }
}
