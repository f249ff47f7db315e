package io.authsuite.resourceserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused before it is read, as Quarkus
 * refuses it, but with the RFC 9457 problem body every other error of this service has: Quarkus' own 413 is empty.
 * Runs just before Quarkus' limit (its route order -2). A chunked body is read here, up to the limit, and refused the
 * same way once it grows past it. A request line or headers too long for Netty still get its empty 414 or 431.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router, ObjectMapper json,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> max) {
        if (max.isEmpty()) {
            return;
        }
        long limit = max.get().asLongValue();
        String body = problem(json, limit);
        router.route().order(-3).handler(rc -> {
            if (contentLength(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH)) > limit) {
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
        rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (rc.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            // The body is not read: the connection cannot serve another request, so it closes once this answer is
            // out, as Quarkus' own limit does (a Connection header alone does not close it).
            rc.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(done -> rc.request().connection().close());
        }
        rc.response().end(body);
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

    private static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
