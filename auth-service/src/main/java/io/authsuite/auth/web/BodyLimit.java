package io.authsuite.auth.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused before it is read, as Quarkus
 * refuses it, but in the RFC 6749 §5.2 shape of every other error of this server: Quarkus' own 413 is empty. (The
 * OAuth endpoints refuse forms over 64 KiB themselves, the same way.) Runs just before Quarkus' limit (its route
 * order -2); a chunked body that grows past the limit while it is read is still cut off by Quarkus with its empty 413.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router, ObjectMapper json,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> max) {
        if (max.isEmpty()) {
            return;
        }
        long limit = max.get().asLongValue();
        String body = error(json, limit);
        router.route().order(-3).handler(rc -> {
            if (BufferedForms.contentLength(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH)) > limit) {
                // RFC 9110 §15.5.14: 413.
                rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                if (rc.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                    // The body is not read: the connection cannot serve another request, so it closes once this
                    // answer is out, as Quarkus' own limit does (a Connection header alone does not close it).
                    rc.response().putHeader(HttpHeaders.CONNECTION, "close")
                            .endHandler(done -> rc.request().connection().close());
                }
                rc.response().end(body);
                return;
            }
            rc.next();
        });
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
