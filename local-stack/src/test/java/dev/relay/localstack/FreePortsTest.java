package dev.relay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A free port is one no outgoing connection can take before its server binds it: outside the kernel's ephemeral range,
 * bindable, and never handed out twice by one JVM.
 */
class FreePortsTest {

    @Test
    void aFreePortLiesOutsideTheEphemeralRangeAndCanBeListenedOn() throws Exception {
        FreePorts.Range ephemeral = FreePorts.ephemeralRange();
        assumeTrue(ephemeral != null, "no /proc/sys/net/ipv4/ip_local_port_range on this machine");
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.next();
            assertThat(ephemeral.contains(port)).as("port %d inside the ephemeral range %s", port, ephemeral).isFalse();
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            }
        }
    }

    @Test
    void oneJvmNeverHandsOutTheSamePortTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(ports.add(FreePorts.next())).as("handed out twice").isTrue();
        }
    }

    @Test
    void theLargerSideOfTheEphemeralRangeIsUsedAndTooSmallASideIsNot() {
        assertThat(FreePorts.rangeOutside(new FreePorts.Range(32768, 60999))).isEqualTo(new FreePorts.Range(10000, 32767));
        assertThat(FreePorts.rangeOutside(new FreePorts.Range(10500, 30000))).isEqualTo(new FreePorts.Range(30001, 65535));
        assertThat(FreePorts.rangeOutside(new FreePorts.Range(1024, 65000))).isNull();
        assertThat(FreePorts.rangeOutside(null)).isNull();
    }
}
