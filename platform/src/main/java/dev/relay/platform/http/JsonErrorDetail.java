package dev.relay.platform.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.relay.contract.validation.RequestLimits;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code detail} of a 400 for a request body Jackson refused: one sentence naming the field
 * (as a path, {@code cursors.c1}, {@code members[2]}) and what it must be, instead of Jackson's
 * class names and source excerpts.
 */
final class JsonErrorDetail {

    private static final int MAX_PATH_CHARS = 200;

    private JsonErrorDetail() {
    }

    static String of(JsonProcessingException e) {
        StreamConstraintsException constraint = find(e, StreamConstraintsException.class);
        if (constraint != null) {
            String message = String.valueOf(constraint.getOriginalMessage());
            return message.contains("nesting depth")
                    ? "JSON is nested deeper than " + RequestLimits.MAX_JSON_DEPTH + " levels"
                    : "request body is over a JSON limit: " + clean(message);
        }
        String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
        String subject = field.isEmpty() ? "the request body" : field;
        if (e instanceof InvalidTextException) {
            return subject + " " + e.getOriginalMessage();
        }
        if (e instanceof MismatchedInputException mismatch) {
            String message = String.valueOf(mismatch.getOriginalMessage());
            if (message.startsWith("Trailing token")) {
                return "nothing may follow the JSON value of the request body";
            }
            if (mismatch.getTargetType() != null) {
                return subject + " must be " + expected(mismatch.getTargetType());
            }
            return subject + ": " + clean(message);
        }
        if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            return subject + ": " + instantiation.getCause().getMessage();
        }
        InputCoercionException range = find(e, InputCoercionException.class);
        if (range != null) {
            String at = range.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null
                    ? parserPath(parser) : "";
            return (at.isEmpty() ? subject : at) + " is a number out of range" + range(range.getTargetType());
        }
        JsonParseException parse = find(e, JsonParseException.class);
        if (parse != null) {
            if (parse.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null
                    && parser.getParsingContext().inRoot() && parser.getParsingContext().hasCurrentIndex()) {
                // The document's value was complete; what the parser choked on came after it.
                return "nothing may follow the JSON value of the request body" + where(parse.getLocation());
            }
            return "request body is not valid JSON: " + clean(parse.getOriginalMessage()) + where(parse.getLocation());
        }
        return subject + ": " + clean(e.getOriginalMessage());
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number" + range(type);
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                    .map(Object::toString).toList());
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "of another JSON type";
    }

    private static String range(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return " between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return " between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        }
        return "";
    }

    /** {@code cursors.c1}, {@code members[2]}; empty for the document itself. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        List<JsonMappingException.Reference> references = e.getPath();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        String path = out.toString();
        if (dev.relay.contract.validation.UnicodeText.loneSurrogateAt(path) >= 0) {
            return "a field";
        }
        return path.length() <= MAX_PATH_CHARS ? path : path.substring(0, MAX_PATH_CHARS) + "…";
    }

    /** The parser's position as {@code cursors.c1}: where a value the parser itself refused sits. */
    private static String parserPath(JsonParser parser) {
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        String path = pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.').replace("~1", "/").replace("~0", "~");
        return path.length() <= MAX_PATH_CHARS ? path : path.substring(0, MAX_PATH_CHARS) + "…";
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Jackson's own sentence without its hints about Java types and features. */
    private static String clean(String message) {
        if (message == null) {
            return "unreadable";
        }
        String first = message.lines().findFirst().orElse(message);
        int hint = first.indexOf(" (for ");
        return hint > 0 ? first.substring(0, hint) : first;
    }

    private static <T extends JacksonException> T find(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
