package dev.relay.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A taken port is seen as taken, and its owner is named by pid and command line. */
class PortOwnersTest {

    @Test
    void aPortThisJvmListensOnIsTakenByThisJvm() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();
            assertThat(PortOwners.free(port)).isFalse();
            assertThat(PortOwners.owner(port)).startsWith("pid " + ProcessHandle.current().pid() + " (")
                    .contains("java");
        }
    }

    @Test
    void aPortIsHeldByTheProcessListeningOnItAndByNoOther() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();
            assertThat(PortOwners.notHeldByAnother(port, ProcessHandle.current().pid())).isTrue();
            assertThat(PortOwners.notHeldByAnother(port, other.pid())).as("an app whose port another process answers on").isFalse();
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aJavaOwnerIsNamedByWhatItRuns() {
        assertThat(PortOwners.summary(List.of("/usr/bin/java", "-Xmx512m", "-cp", "/x/lib/*", "kafka.Kafka", "/x/server.properties")))
                .containsExactly("java", "kafka.Kafka", "/x/server.properties");
        assertThat(PortOwners.summary(List.of("/jdk/bin/java", "-Dquarkus.http.port=8081", "-jar", "/x/quarkus-run.jar")))
                .containsExactly("java", "-jar", "/x/quarkus-run.jar");
        assertThat(PortOwners.summary(List.of("/usr/bin/redis-server", "127.0.0.1:6379")))
                .containsExactly("/usr/bin/redis-server", "127.0.0.1:6379");
    }

    @Test
    void aClosedPortIsFree() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThat(PortOwners.free(port)).isTrue();
    }
}
