package dev.relay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server outlives neither its owner's death (even SIGKILL) nor a stop request. */
class WatchdogTest {

    @Test
    void theServerDiesWhenItsOwnerIsKilled() throws Exception {
        Path script = Files.createTempFile("watchdog", ".sh");
        try (var in = ServerProcess.class.getResourceAsStream("watchdog.sh")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process owner = new ProcessBuilder("sleep", "600").start();
        Process watchdog = new ProcessBuilder("bash", script.toString(), Long.toString(owner.pid()), "sleep", "600").start();
        await("the watched server to start").atMost(Duration.ofSeconds(5))
                .until(() -> watchdog.descendants().findAny().isPresent());
        ProcessHandle server = watchdog.descendants().findFirst().orElseThrow();

        owner.destroyForcibly().waitFor();

        assertThat(watchdog.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await("the server to be gone").atMost(Duration.ofSeconds(5)).until(() -> !server.isAlive());
        Files.deleteIfExists(script);
    }

    @Test
    void stopEndsTheServerAndItsWatchdog() throws Exception {
        Path dir = Files.createTempDirectory("watchdog");
        ServerProcess process = ServerProcess.start("sleeper", List.of("sleep", "600"), dir, dir.resolve("sleeper.log"));
        await("the watched server to start").atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.current().descendants().anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
        process.stop();
        assertThat(process.alive()).isFalse();
        await("no sleeper left").atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.current().descendants().noneMatch(p -> p.info().command().orElse("").endsWith("sleep")));
    }
}
