package dev.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.ConsumerGroups;
import dev.relay.contract.names.Topics;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The topics and consumer groups fanout-fn's configuration spells are the contract's: the channels
 * read and write the topics the producers and Terraform use, and join exactly the groups Terraform's
 * IAM grants and its lag alarms watch. Reads the resolved values the running app uses.
 */
@QuarkusTest
class NamesAgreeTest {

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    @Test
    void channelTopicsAreTheContractTopics() {
        assertThat(config("mp.messaging.incoming.messages.topic")).isEqualTo(Topics.MESSAGES);
        assertThat(config("mp.messaging.incoming.signals.topic")).isEqualTo(Topics.SIGNALS);
        assertThat(config("mp.messaging.outgoing.dead-letters.topic")).isEqualTo(Topics.MESSAGES_DLQ);
    }

    @Test
    void consumerGroupsAreTheContractGroups() {
        assertThat(config("mp.messaging.incoming.messages.group.id")).isEqualTo(ConsumerGroups.FANOUT_MESSAGES);
        assertThat(config("mp.messaging.incoming.signals.group.id")).isEqualTo(ConsumerGroups.FANOUT_SIGNALS);
        assertThat(config("relay.fanout.replay.group")).isEqualTo(ConsumerGroups.FANOUT_DLQ_REPLAY);
    }
}
