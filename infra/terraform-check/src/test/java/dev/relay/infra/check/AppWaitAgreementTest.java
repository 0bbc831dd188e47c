package dev.relay.infra.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The functions module sizes the Lambda and integration timeouts from app_longest_wait_seconds;
 * that default must be ingest-fn's own longest wait (relay.ingest.append.max-wait: its override in
 * ingest-fn's application.properties, else its {@code @WithDefault} in ingest-fn's IngestConfig), or a
 * change in the app silently lets Lambda kill requests that are still waiting for their turn.
 */
class AppWaitAgreementTest {

    @Test
    void theModulesLongestWaitIsIngestsAppendMaxWait() throws IOException {
        Path properties = TfCheck.terraformDir().resolve("../../ingest-fn/src/main/resources/application.properties").normalize();
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(properties)) {
            config.load(reader);
        }
        String maxWait = config.getProperty("relay.ingest.append.max-wait");
        if (maxWait == null) {
            Path mapping = TfCheck.terraformDir()
                    .resolve("../../ingest-fn/src/main/java/dev/relay/ingest/config/IngestConfig.java").normalize();
            Matcher withDefault = Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s+Duration\\s+maxWait\\(\\)")
                    .matcher(Files.readString(mapping));
            assertThat(withDefault.find()).as("@WithDefault of maxWait() in %s", mapping).isTrue();
            maxWait = withDefault.group(1);
        }
        long appSeconds = Duration.parse("PT" + maxWait.trim().toUpperCase(Locale.ROOT)).toSeconds();

        long moduleSeconds = TfCheck.parse(TfCheck.terraformDir().resolve("modules/functions/variables.tf"))
                .path("variable").path("app_longest_wait_seconds").path(0).path("default").asLong(-1);
        assertThat(moduleSeconds).as("modules/functions app_longest_wait_seconds default").isEqualTo(appSeconds);
    }
}
