package io.authsuite.auth.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A JSON member given twice ({@code {"username":"a","username":"b"}}) is a 400, not whichever the parser kept last:
 * an admin API must not act on a body that two readers could understand differently (RFC 8259 §4).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // RFC 8259 §2: a JSON text is one value; a second document after it is a malformed body, not ignored.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
