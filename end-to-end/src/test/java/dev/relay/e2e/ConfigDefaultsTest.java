package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each configuration default is said once: in the {@code @WithDefault} of its {@code @ConfigMapping}.
 * The apps' {@code application.properties} may override a key (or set it per profile) but never
 * restate its default, and no {@code ${key:fallback}} expression in the code carries a second copy.
 * Reads the sources of every module, so it needs no app on the classpath.
 */
class ConfigDefaultsTest {

    private static final List<String> APPS = List.of("ingest-fn", "fanout-fn", "websocket-edge", "sync-fn");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("^\\s*(?:public\\s+)?(?:static\\s+)?interface\\s+(\\w+)");
    private static final Pattern DEFAULT = Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)");
    private static final Pattern NAME = Pattern.compile("@WithName\\(\"([^\"]*)\"\\)");
    private static final Pattern METHOD = Pattern.compile("^\\s*([\\w<>.,? ]+?)\\s+(\\w+)\\(\\);");
    private static final Pattern FALLBACK = Pattern.compile("\\$\\{(relay\\.[\\w.\\-\"]+):");

    private final Path root = RelayHome.locate().root();

    @Test
    void theMappingsAreFound() {
        Map<String, String> defaults = defaults();
        assertThat(defaults).containsEntry("relay.ingest.publish.confirm-interval", "1s")
                .containsEntry("relay.edge.ack.timeout", "10s")
                .containsEntry("relay.delivery.large-conversation-members", "1000")
                .containsEntry("relay.sync.max-limit", "1000");
    }

    @Test
    void noApplicationPropertiesRestatesADefault() {
        Map<String, String> defaults = defaults();
        List<String> restated = new ArrayList<>();
        for (String app : APPS) {
            Path file = root.resolve(app).resolve("src/main/resources/application.properties");
            for (String line : lines(file)) {
                int eq = line.indexOf('=');
                if (line.startsWith("relay.") && eq > 0) {
                    String key = line.substring(0, eq).trim();
                    String value = line.substring(eq + 1).trim();
                    if (value.equals(defaults.get(key))) {
                        restated.add(app + ": " + line);
                    }
                }
            }
        }
        assertThat(restated).as("lines that only repeat a @WithDefault").isEmpty();
    }

    @Test
    void noCodeCarriesASecondDefaultInAnExpression() {
        Map<String, String> defaults = defaults();
        List<String> fallbacks = new ArrayList<>();
        for (Path source : javaSources()) {
            Matcher matcher = FALLBACK.matcher(read(source));
            while (matcher.find()) {
                if (defaults.containsKey(matcher.group(1))) {
                    fallbacks.add(root.relativize(source) + ": ${" + matcher.group(1) + ":…}");
                }
            }
        }
        assertThat(fallbacks).as("${key:fallback} for keys that have a @WithDefault").isEmpty();
    }

    /** Every key with a {@code @WithDefault}, across all mappings of all modules. */
    private Map<String, String> defaults() {
        Map<String, String> defaults = new TreeMap<>();
        for (Path source : javaSources()) {
            String text = read(source);
            Matcher mapping = MAPPING.matcher(text);
            if (mapping.find()) {
                defaults.putAll(defaultsOf(mapping.group(1), text));
            }
        }
        return defaults;
    }

    /**
     * The defaults of one mapping: methods of the root interface and of nested interfaces it
     * returns (a nested group's key is its method's name), kebab-cased unless {@code @WithName}.
     */
    private static Map<String, String> defaultsOf(String prefix, String text) {
        record Member(String name, String type, String value) { }
        Map<String, List<Member>> members = new HashMap<>();
        Deque<String> open = new ArrayDeque<>();
        Map<Integer, String> interfaceAtDepth = new HashMap<>();
        String root = null;
        String pendingDefault = null;
        String pendingName = null;
        int depth = 0;
        for (String line : text.split("\n")) {
            Matcher iface = INTERFACE.matcher(line);
            if (iface.find()) {
                interfaceAtDepth.put(depth, iface.group(1));
                members.putIfAbsent(iface.group(1), new ArrayList<>());
                if (root == null) {
                    root = iface.group(1);
                }
            }
            Matcher dflt = DEFAULT.matcher(line);
            if (dflt.find()) {
                pendingDefault = dflt.group(1);
            }
            Matcher name = NAME.matcher(line);
            if (name.find()) {
                pendingName = name.group(1);
            }
            Matcher method = METHOD.matcher(line);
            if (method.find() && interfaceAtDepth.containsKey(depth - 1)) {
                String key = pendingName != null ? pendingName : kebab(method.group(2));
                members.get(interfaceAtDepth.get(depth - 1)).add(new Member(key, method.group(1).trim(), pendingDefault));
                pendingDefault = null;
                pendingName = null;
            }
            depth += count(line, '{') - count(line, '}');
        }
        Map<String, String> defaults = new HashMap<>();
        open.push(root + "\t" + prefix);
        while (!open.isEmpty()) {
            String[] next = open.pop().split("\t");
            for (Member member : members.getOrDefault(next[0], List.of())) {
                String key = next[1] + "." + member.name();
                String type = member.type().replaceAll("Optional<(\\w+)>", "$1");
                if (members.containsKey(type) && !type.equals(next[0])) {
                    open.push(type + "\t" + key);
                } else if (member.value() != null) {
                    defaults.put(key, member.value());
                }
            }
        }
        return defaults;
    }

    private List<Path> javaSources() {
        try (Stream<Path> files = Files.walk(root, 12)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("(?<!^)(?=[A-Z])", "-").toLowerCase();
    }

    private static int count(String line, char c) {
        return (int) line.chars().filter(ch -> ch == c).count();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        return List.of(read(file).split("\n"));
    }
}
