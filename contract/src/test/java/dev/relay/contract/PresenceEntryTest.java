package dev.relay.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.contract.presence.PresenceEntry;
import org.junit.jupiter.api.Test;

class PresenceEntryTest {

    @Test
    void formatAndParseRoundTrip() {
        PresenceEntry entry = new PresenceEntry("edge-a", "conn-1", 42, 1_795_000_000_000L);
        assertThat(entry.format()).isEqualTo("edge-a|conn-1|42|1795000000000");
        assertThat(PresenceEntry.parse(entry.format())).isEqualTo(entry);
    }

    @Test
    void anEntryPastItsExpiryIsDead() {
        PresenceEntry entry = new PresenceEntry("edge-a", "conn-1", 1, 1000);
        assertThat(entry.aliveAt(999)).isTrue();
        assertThat(entry.aliveAt(1000)).isFalse();
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> PresenceEntry.parse("edge-a|conn")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PresenceEntry.parse("a|b|x|1")).isInstanceOf(IllegalArgumentException.class);
    }
}
