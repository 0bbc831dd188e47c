package dev.relay.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.validation.MetaRules;
import dev.relay.contract.validation.RequestLimits;
import dev.relay.contract.validation.UnicodeText;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValidationRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void loneSurrogatesAreFoundAndPairsAreText() {
        assertThat(UnicodeText.loneSurrogateAt("plain")).isEqualTo(-1);
        assertThat(UnicodeText.loneSurrogateAt("a\ud83d\ude00b")).isEqualTo(-1);
        assertThat(UnicodeText.loneSurrogateAt("x\ud800y")).isEqualTo(1);
        assertThat(UnicodeText.loneSurrogateAt("\udc00")).isZero();
        assertThat(UnicodeText.loneSurrogateAt("ok\ude00\ud83d")).isEqualTo(2);
        assertThat(UnicodeText.loneSurrogateAt("end\ud83d")).isEqualTo(3);
        assertThatThrownBy(() -> UnicodeText.require("title", "\ud800")).isInstanceOfSatisfying(RelayProblem.class,
                p -> assertThat(p.type()).isEqualTo(ProblemType.MALFORMED_REQUEST));
        assertThat(UnicodeText.utf8Length("aé€\ud83d\ude00")).isEqualTo("aé€\ud83d\ude00".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void metaMeasuresItsCompactUtf8Json() throws Exception {
        for (String text : new String[] {"{}", "{\"a\":1,\"b\":[true,null,\"x\\n\\\"y\\u0001\"],\"c\":{\"d\":-2.5}}",
                "{\"é\":\"\ud83d\ude00\",\"t\":\"tab\\there\"}"}) {
            JsonNode meta = JSON.readTree(text);
            int bytes = utf8(meta);
            JsonNode padded = JSON.readTree("{\"p\":\"" + "x".repeat(RequestLimits.MAX_META_BYTES - bytes - 13) + "\",\"m\":" + text + "}");
            assertThat(utf8(padded)).isEqualTo(RequestLimits.MAX_META_BYTES);
            assertThatCode(() -> MetaRules.require(padded)).doesNotThrowAnyException();
            JsonNode over = JSON.readTree("{\"p\":\"" + "x".repeat(RequestLimits.MAX_META_BYTES - bytes - 12) + "\",\"m\":" + text + "}");
            assertThatThrownBy(() -> MetaRules.require(over)).hasMessageContaining("at most 4096");
        }
    }

    /** Compact JSON as UTF-8 (a character outside the BMP is its 4 bytes, not two escapes). */
    private static int utf8(JsonNode node) throws Exception {
        return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void metaIsAnObjectOfAtMostEightLevels() throws Exception {
        assertThatCode(() -> MetaRules.require(null)).doesNotThrowAnyException();
        assertThatCode(() -> MetaRules.require(JSON.readTree("null"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> MetaRules.require(JSON.readTree("[1]"))).hasMessage("meta must be a JSON object");
        assertThatCode(() -> MetaRules.require(JSON.readTree("{\"a\":".repeat(7) + "{}" + "}".repeat(7))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> MetaRules.require(JSON.readTree("{\"a\":".repeat(8) + "{}" + "}".repeat(8))))
                .hasMessageContaining("deeper than 8 levels");
        assertThatThrownBy(() -> MetaRules.require(JSON.readTree("{\"n\":1e400}"))).hasMessageContaining("out of range");
        assertThatThrownBy(() -> MetaRules.require(JSON.readTree("{\"k\":\"\\ud800\"}"))).hasMessageContaining("meta.k is not valid Unicode");
    }
}
