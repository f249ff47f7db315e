package io.authsuite.resourceserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Requests Vert.x Web refuses before any endpoint sees them get the RFC 9457 problem body of every other error here:
 * a missing or invalid {@code Host} (RFC 9112 §3.2) above all, which Quarkus answers with its "500 - Internal Server
 * Error" text under a 400 and an ERROR line that any client could flood the log with; any other 4xx Vert.x Web fails a
 * request with, which Quarkus answers with an empty body. (A request line Vert.x core cannot read, such as a broken
 * percent-encoding, is refused below the router, with an empty 400 and the connection closed.)
 */
@ApplicationScoped
public class MalformedRequests {

    private static final Logger LOG = Logger.getLogger(MalformedRequests.class);

    void install(@Observes Router router, ObjectMapper json) {
        // Before Quarkus' own failure handler, which is the last.
        router.route().order(-4).failureHandler(rc -> {
            if (!refusedBeforeRouting(rc)) {
                rc.next();
                return;
            }
            String detail = detail(rc.statusCode(), rc.failure());
            LOG.debugf("Request refused with %d before routing: %s", rc.statusCode(), detail);
            rc.response().setStatusCode(rc.statusCode()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(problem(json, rc.statusCode(), detail));
        });
    }

    /** What the client is told of a refusal of {@link #refusedBeforeRouting}. */
    static String detail(int status, Throwable failure) {
        if (status == 413) {
            // A chunked body that grew past quarkus.http.limits.max-body-size while it was read.
            return "the request body is larger than this service accepts";
        }
        if (failure != null && failure.getMessage() != null && failure.getMessage().contains("'Host' header")) {
            return "the Host header is missing or invalid";
        }
        return status == 400 ? "the request is malformed"
                : io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    /**
     * A 4xx that Vert.x itself failed the request with (no exception, or its own VertxException), before any answer
     * was started: what the endpoints refuse comes back through their exception mappers, never here.
     */
    static boolean refusedBeforeRouting(RoutingContext rc) {
        int status = rc.statusCode();
        Throwable failure = rc.failure();
        return status >= 400 && status < 500 && !rc.response().headWritten()
                && (failure == null || failure.getClass() == VertxException.class);
    }

    private static String problem(ObjectMapper json, int status, String detail) {
        try {
            return json.writeValueAsString(Problem.of(status,
                    io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase(), detail)
                    .withError("invalid_request"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
