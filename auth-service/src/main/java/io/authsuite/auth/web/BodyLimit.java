package io.authsuite.auth.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.http.BodyLimits;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size}, announced or chunked, is refused in the RFC 6749 §5.2
 * shape of every other error of this server ({@link BodyLimits}): Quarkus' own 413 is empty. (The OAuth endpoints
 * refuse forms over 64 KiB themselves, the same way.)
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router, ObjectMapper json, io.authsuite.auth.config.AuthConfig config,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> max) {
        if (max.isEmpty()) {
            return;
        }
        long limit = max.get().asLongValue();
        // Answered below Quarkus REST, so without its response filters: the headers of every answer are added here.
        Map<String, String> headers = new LinkedHashMap<>(SecurityHeaders.fixed(config.issuer().startsWith("https://")));
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        BodyLimits.install(router, limit, headers, error(json, limit));
    }

    private static String error(ObjectMapper json, long limit) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("error", "invalid_request");
        error.put("error_description", "the request body is larger than the " + limit + " bytes this server accepts");
        try {
            return json.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
