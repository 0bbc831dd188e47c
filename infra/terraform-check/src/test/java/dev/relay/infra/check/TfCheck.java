package dev.relay.infra.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the node checker (src/main/node/tfcheck.mjs) and reads its JSON report. The checker needs
 * node_modules, which the build's {@code npm ci} step installs before tests run.
 */
final class TfCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 120;

    record Finding(String file, int line, String rule, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": [" + rule + "] " + message;
        }
    }

    record Report(String providerVersion, List<String> files, int blocks, int moduleCalls, List<Finding> findings) {
    }

    private TfCheck() {
    }

    static Path terraformDir() {
        return Path.of(System.getProperty("relay.terraform.dir", "../terraform")).toAbsolutePath().normalize();
    }

    static Path fixture(String name) {
        return Path.of("src/test/resources/fixtures", name).toAbsolutePath().normalize();
    }

    /** Checks every Terraform directory under the roots. */
    static Report check(Path... roots) {
        List<String> args = new ArrayList<>(List.of("--cache", System.getProperty("relay.tfcheck.cache", "target/tfcheck-cache")));
        for (Path root : roots) {
            args.add(root.toString());
        }
        JsonNode json = run(args);
        List<Finding> findings = new ArrayList<>();
        for (JsonNode f : json.path("findings")) {
            findings.add(new Finding(f.path("file").asText(), f.path("line").asInt(), f.path("rule").asText(), f.path("message").asText()));
        }
        List<String> files = new ArrayList<>();
        json.path("files").forEach(f -> files.add(f.asText()));
        return new Report(json.path("provider_version").asText(), files, json.path("blocks").asInt(),
                json.path("module_calls").asInt(), findings);
    }

    /** hcl2json's JSON of one .tf file. */
    static JsonNode parse(Path file) {
        return parse(List.of(file)).get(file);
    }

    /** hcl2json's JSON of each .tf file, parsed in one node process. */
    static Map<Path, JsonNode> parse(List<Path> files) {
        List<String> args = new ArrayList<>(List.of("--dump"));
        files.forEach(f -> args.add(f.toString()));
        JsonNode json = run(args);
        Map<Path, JsonNode> parsed = new LinkedHashMap<>();
        files.forEach(f -> parsed.put(f, json.path(f.toString())));
        return parsed;
    }

    private static JsonNode run(List<String> args) {
        List<String> command = new ArrayList<>(List.of("node", System.getProperty("relay.tfcheck.script", "src/main/node/tfcheck.mjs")));
        command.addAll(args);
        try {
            Path stdout = Files.createTempFile("tfcheck", ".json");
            Path stderr = Files.createTempFile("tfcheck", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("tfcheck did not finish within " + TIMEOUT_SECONDS + " s: " + command);
                }
                String out = Files.readString(stdout, StandardCharsets.UTF_8);
                // Exit 1 means findings, reported in the JSON; anything else is a broken run.
                if (process.exitValue() > 1 || out.isBlank()) {
                    throw new IllegalStateException("tfcheck failed (exit " + process.exitValue() + "): "
                            + Files.readString(stderr, StandardCharsets.UTF_8));
                }
                return JSON.readTree(out);
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (is Node.js 18+ on PATH?): " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
