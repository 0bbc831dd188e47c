package dev.relay.platform.http;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.relay.contract.validation.RequestLimits;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The JSON every request of an HTTP app is read with (API.md "Send": "numbers are numbers and
 * strings are strings … in every request of every app"). A request is one JSON value and nothing
 * after it; a field of the wrong JSON type is a client mistake (400), never guessed at: no number
 * or boolean becomes a string, no string becomes a number or boolean, no fraction becomes an
 * integer, no empty string becomes null; a field given twice is refused; nesting stops at
 * {@link RequestLimits#MAX_JSON_DEPTH}; every string must be valid Unicode ({@link UnicodeStringDeserializer}).
 *
 * <p>Active in apps that set {@code relay.http.strict-json=true} (ingest-fn, sync-fn): the other
 * apps share the mapper with their Kafka and Redis decoding, which has its own poison handling.
 */
@Singleton
@IfBuildProperty(name = "relay.http.strict-json", stringValue = "true")
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(RequestLimits.MAX_JSON_DEPTH)
                .maxDocumentLength(RequestLimits.MAX_REQUEST_BYTES)
                .build());
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(scalar)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("relay-unicode-text")
                .addDeserializer(String.class, new UnicodeStringDeserializer()));
    }
}
