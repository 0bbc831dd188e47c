package dev.relay.platform.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.relay.contract.validation.UnicodeText;
import java.io.IOException;

/**
 * Reads a JSON string field as Jackson does, then refuses it when it is not valid Unicode
 * ({@link UnicodeText}). The failure carries the field's path, so the answer names the field.
 */
final class UnicodeStringDeserializer extends StdScalarDeserializer<String> {

    UnicodeStringDeserializer() {
        super(String.class);
    }

    @Override
    public LogicalType logicalType() {
        return LogicalType.Textual;
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = StringDeserializer.instance.deserialize(parser, context);
        String violation = text == null ? null : UnicodeText.violation(text);
        if (violation != null) {
            throw new InvalidTextException(parser, violation);
        }
        return text;
    }
}
