package dev.relay.infra.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * infra/terraform checked by Terraform itself, with the real hashicorp/aws provider from a local
 * filesystem mirror and no network: every environment initializes from its committed lock file and
 * validates, every {@code *.tftest.hcl} suite passes against a mocked provider, and planted mistakes
 * fail {@code terraform validate}. Runs on a copy under target/, so no .terraform directory lands
 * in the source tree. Skipped, and said so, without a terraform binary or the provider mirror.
 */
class TerraformCliTest {

    private static final Path MIRROR = Path.of(System.getProperty("relay.terraform.mirror", "/opt/tf-plugins"));
    private static final String PROVIDER = "registry.terraform.io/hashicorp/aws";
    private static final long TIMEOUT_MINUTES = 10;

    private static Path terraform;
    private static Path work;
    private static Path cliConfig;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void copyTheConfigurationAndPointTerraformAtTheMirror() throws IOException {
        Optional<Path> binary = findTerraform();
        boolean mirrored = Files.isDirectory(MIRROR.resolve(PROVIDER));
        if (binary.isEmpty() || !mirrored) {
            System.out.println("SKIPPED terraform init/validate/test: " + (binary.isEmpty()
                    ? "no terraform binary on PATH" : "no provider mirror at " + MIRROR.resolve(PROVIDER)));
        }
        assumeTrue(binary.isPresent(), "no terraform binary on PATH: terraform validate/test skipped");
        assumeTrue(mirrored, "no hashicorp/aws provider mirror at " + MIRROR + ": terraform validate/test skipped");
        terraform = binary.get();

        work = Path.of("target", "terraform-cli").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        copyTree(TfCheck.terraformDir(), work.resolve("terraform"));
        cliConfig = work.resolve("cli.tfrc");
        Files.writeString(cliConfig, """
                provider_installation {
                  filesystem_mirror {
                    path    = "%s"
                    include = ["%s"]
                  }
                  direct {
                    exclude = ["%s"]
                  }
                }
                """.formatted(MIRROR.toAbsolutePath(), PROVIDER, PROVIDER));
    }

    @TestFactory
    Stream<DynamicTest> everyEnvironmentInitializesFromItsLockFileAndValidates() throws IOException {
        try (Stream<Path> envs = Files.list(work.resolve("terraform/envs"))) {
            return envs.filter(Files::isDirectory).sorted().toList().stream()
                    .map(env -> DynamicTest.dynamicTest(env.getFileName().toString(), () -> {
                        assertThat(env.resolve(".terraform.lock.hcl")).as("committed lock file").exists();
                        // readonly: init fails if the lock file does not already record the provider it installs.
                        Result init = run(env, "init", "-backend=false", "-input=false", "-no-color", "-lockfile=readonly");
                        assertThat(init.exit()).as("terraform init in %s:%n%s", env, init.output()).isZero();
                        Result validate = run(env, "validate", "-no-color");
                        assertThat(validate.exit()).as("terraform validate in %s:%n%s", env, validate.output()).isZero();
                        assertThat(validate.output()).contains("The configuration is valid");
                    }));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTerraformTestSuitePasses() throws IOException {
        List<Path> suites;
        try (Stream<Path> files = Files.walk(work.resolve("terraform"))) {
            suites = files.filter(f -> f.getFileName().toString().endsWith(".tftest.hcl"))
                    .filter(f -> f.getParent().getFileName().toString().equals("tests"))
                    .map(f -> f.getParent().getParent())
                    .distinct().sorted().toList();
        }
        assertThat(suites).as("terraform test suites").isNotEmpty();
        return suites.stream().map(dir -> DynamicTest.dynamicTest(work.resolve("terraform").relativize(dir).toString(), () -> {
            Result init = run(dir, "init", "-backend=false", "-input=false", "-no-color");
            assertThat(init.exit()).as("terraform init in %s:%n%s", dir, init.output()).isZero();
            Result test = run(dir, "test", "-no-color");
            assertThat(test.exit()).as("terraform test in %s:%n%s", dir, test.output()).isZero();
            assertThat(test.output()).contains("Success!").doesNotContain(" 0 passed");
        }));
    }

    @Test
    void lockFilesPinTheMirrorsProviderBuild() throws IOException {
        for (String env : List.of("dev", "prod")) {
            String lock = Files.readString(TfCheck.terraformDir().resolve("envs/" + env + "/.terraform.lock.hcl"));
            assertThat(lock)
                    .contains("provider \"" + PROVIDER + "\"")
                    .contains("version     = \"5.100.0\"")
                    .contains("constraints = \">= 5.100.0, < 7.0.0\"")
                    .containsPattern("\"h1:[A-Za-z0-9+/=]{44}\"");
        }
    }

    /** A real module with one mistake planted; {@code terraform validate} must reject it with this message. */
    static Stream<Arguments> plantedMistakes() {
        return Stream.of(
                Arguments.of("wrong type", "edge/alb.tf",
                        "drop_invalid_header_fields = true", "drop_invalid_header_fields = \"of course\"",
                        "a bool is required"),
                Arguments.of("block written as attribute", "functions/main.tf",
                        "  vpc_config {", "  vpc_config = {",
                        "Did you mean to define a block of type \"vpc_config\"?"),
                Arguments.of("attribute typo", "edge/alb.tf",
                        "deregistration_delay = var.deregistration_delay_seconds", "deregistration_dealy = var.deregistration_delay_seconds",
                        "An argument named \"deregistration_dealy\" is not expected here"),
                Arguments.of("invalid enum", "edge/alb.tf",
                        "target_type          = \"ip\"", "target_type          = \"ipv9\"",
                        "expected target_type to be one of"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plantedMistakes")
    void aPlantedMistakeFailsValidate(String mistake, String file, String original, String planted, String expected)
            throws IOException, InterruptedException {
        Path copy = work.resolve("planted/" + mistake.replace(' ', '-'));
        deleteRecursively(copy);
        copyTree(TfCheck.terraformDir(), copy);
        Path target = copy.resolve("modules").resolve(file);
        String source = Files.readString(target);
        assertThat(source).as("%s still contains the line to plant the mistake in", file).contains(original);
        Files.writeString(target, source.replace(original, planted));

        Path module = target.getParent();
        Result init = run(module, "init", "-backend=false", "-input=false", "-no-color");
        assertThat(init.exit()).as("terraform init in %s:%n%s", module, init.output()).isZero();
        Result validate = run(module, "validate", "-no-color");
        assertThat(validate.exit()).as("terraform validate accepted the %s planted in %s", mistake, file).isNotZero();
        // Terraform wraps its messages at 80 columns.
        assertThat(validate.output().replaceAll("\\s+", " ")).contains(expected);
    }

    private static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(terraform.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(work, "terraform", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        builder.environment().put("TF_IN_AUTOMATION", "1");
        builder.environment().put("CHECKPOINT_DISABLE", "1"); // no version check against HashiCorp
        builder.environment().remove("TF_PLUGIN_CACHE_DIR");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("terraform " + String.join(" ", args) + " did not finish in " + TIMEOUT_MINUTES + " min in " + dir);
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Optional<Path> findTerraform() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty()), Stream.of("/usr/local/bin"))
                .map(dir -> Path.of(dir, "terraform"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !from.relativize(p).toString().contains(".terraform" + File.separator)
                    && !p.getFileName().toString().equals(".terraform")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
