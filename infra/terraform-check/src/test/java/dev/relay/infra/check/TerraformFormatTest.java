package dev.relay.infra.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code terraform fmt -check -recursive} when a terraform binary is on PATH; skipped, and said so, otherwise. */
class TerraformFormatTest {

    @Test
    void terraformFilesAreCanonicallyFormatted() throws IOException, InterruptedException {
        Optional<Path> terraform = onPath("terraform");
        if (terraform.isEmpty()) {
            System.out.println("SKIPPED terraform fmt -check -recursive: no terraform binary on PATH");
        }
        assumeTrue(terraform.isPresent(), "no terraform binary on PATH: terraform fmt -check skipped");

        ProcessBuilder builder = new ProcessBuilder(terraform.get().toString(), "fmt", "-check", "-recursive", "-diff", "-no-color")
                .directory(TfCheck.terraformDir().toFile())
                .redirectErrorStream(true);
        // fmt reads no CLI configuration, providers or network; an empty one silences the missing-file warning.
        builder.environment().put("TF_CLI_CONFIG_FILE", "/dev/null");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("terraform fmt -check -recursive found unformatted files (run terraform fmt -recursive infra/terraform):%n%s", output)
                .isZero();
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
