package dev.relay.platform.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemValuesTest {

    private static final Map<String, AttributeValue> ITEM = Map.of(
            "seq", ItemValues.number(42),
            "title", AttributeValue.fromS("hello"));

    @Test
    void aNumberReadsBackAsWritten() {
        assertThat(ItemValues.number(ITEM, "seq")).isEqualTo(42);
        assertThat(ItemValues.number(Map.of("big", ItemValues.number(Long.MAX_VALUE)), "big")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aMissingNumberIsZeroOrTheGivenAbsentValue() {
        assertThat(ItemValues.number(ITEM, "lastSeq")).isZero();
        assertThat(ItemValues.number(ITEM, "memberCount", -1)).isEqualTo(-1);
        assertThat(ItemValues.number(null, "seq", -1)).isEqualTo(-1);
    }

    @Test
    void anAttributeOfAnotherTypeReadsAsAbsent() {
        assertThat(ItemValues.number(ITEM, "title", -1)).isEqualTo(-1);
        assertThat(ItemValues.string(ITEM, "seq")).isNull();
    }

    @Test
    void textReadsBackOrIsNull() {
        assertThat(ItemValues.string(ITEM, "title")).isEqualTo("hello");
        assertThat(ItemValues.string(ITEM, "createdBy")).isNull();
    }
}
