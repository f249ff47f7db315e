package io.authsuite.resourceserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.http.BodyLimits;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size}, announced or chunked, is refused with the RFC 9457
 * problem body every other error of this service has ({@link BodyLimits}): Quarkus' own 413 is empty. A request line
 * or headers too long for Netty still get its empty 414 or 431.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router, ObjectMapper json,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> max) {
        if (max.isEmpty()) {
            return;
        }
        long limit = max.get().asLongValue();
        BodyLimits.install(router, limit, Map.of("Content-Type", Problem.MEDIA_TYPE), problem(json, limit));
    }

    private static String problem(ObjectMapper json, long limit) {
        try {
            return json.writeValueAsString(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "the request body is larger than the " + limit + " bytes this service accepts")
                    .withError("invalid_request"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
