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
 * order -2). A chunked body is read here, up to the limit, and refused the same way once it grows past it.
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
                refuse(rc, body);
                return;
            }
            if (rc.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                    && rc.request().version() != io.vertx.core.http.HttpVersion.HTTP_2
                    && "chunked".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING))) {
                // A chunked body announces no length: read it here, at most the limit, so that one growing past it
                // gets this answer too. Quarkus' own limit would cut it off with an empty 413 while the endpoint reads
                // it, and the endpoint's read would fail into an error logged at ERROR. Quarkus REST reads the body
                // set here rather than the stream.
                io.vertx.core.buffer.Buffer read = io.vertx.core.buffer.Buffer.buffer();
                boolean[] refused = {false};
                rc.request().handler(chunk -> {
                    if (refused[0]) {
                        return;
                    }
                    if (read.length() + chunk.length() > limit) {
                        refused[0] = true;
                        refuse(rc, body);
                        return;
                    }
                    read.appendBuffer(chunk);
                });
                rc.request().endHandler(done -> {
                    if (!refused[0]) {
                        rc.setBody(read);
                        rc.next();
                    }
                });
                rc.request().exceptionHandler(failure -> {
                    if (!refused[0]) {
                        rc.fail(failure);
                    }
                });
                // Quarkus hands requests over paused.
                rc.request().resume();
                return;
            }
            rc.next();
        });
    }

    /** RFC 9110 §15.5.14: 413, the rest of the body left unread. */
    private static void refuse(io.vertx.ext.web.RoutingContext rc, String body) {
        rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (rc.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            // The body is not read: the connection cannot serve another request, so it closes once this answer is
            // out, as Quarkus' own limit does (a Connection header alone does not close it).
            rc.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(done -> rc.request().connection().close());
        }
        rc.response().end(body);
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
