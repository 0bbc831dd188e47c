package dev.relay.platform.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/** A JSON string of a request that is not valid Unicode; its message says why, its path where. */
final class InvalidTextException extends JsonMappingException {

    InvalidTextException(JsonParser parser, String violation) {
        super(parser, violation);
    }
}
