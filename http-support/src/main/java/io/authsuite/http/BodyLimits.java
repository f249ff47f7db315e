package io.authsuite.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Refuses a request body larger than {@code quarkus.http.limits.max-body-size} as Quarkus does, but with the answer a
 * service gives (its error shape): Quarkus' own 413 is empty. Runs just before Quarkus' limit (its route order -2).
 * A body announced larger is refused before it is read. A chunked body announces no length, so it is read here, up to
 * the limit, and refused the same way once it grows past it; Quarkus' limit would cut it off with its empty 413 while
 * the endpoint reads it, and the endpoint's read would fail into an error logged at ERROR. Quarkus REST reads the body
 * set here rather than the stream.
 */
public final class BodyLimits {

    private BodyLimits() {
    }

    /**
     * @param headers the 413's headers (its Content-Type above all)
     * @param body    the 413's body
     */
    public static void install(Router router, long limit, Map<String, String> headers, String body) {
        router.route().order(-3).handler(rc -> {
            if (contentLength(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH)) > limit) {
                refuse(rc, headers, body);
                return;
            }
            if (rc.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                    && rc.request().version() != HttpVersion.HTTP_2
                    && "chunked".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING))) {
                readChunked(rc, limit, headers, body);
                return;
            }
            rc.next();
        });
    }

    private static void readChunked(RoutingContext rc, long limit, Map<String, String> headers, String body) {
        Buffer read = Buffer.buffer();
        boolean[] refused = {false};
        rc.request().handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (read.length() + chunk.length() > limit) {
                refused[0] = true;
                refuse(rc, headers, body);
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
    }

    /** RFC 9110 §15.5.14: 413, the rest of the body left unread. */
    private static void refuse(RoutingContext rc, Map<String, String> headers, String body) {
        rc.response().setStatusCode(413);
        headers.forEach(rc.response()::putHeader);
        if (rc.request().version() != HttpVersion.HTTP_2) {
            // The body is not read: the connection cannot serve another request, so it closes once this answer is
            // out, as Quarkus' own limit does (a Connection header alone does not close it).
            rc.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(done -> rc.request().connection().close());
        }
        rc.response().end(body);
    }

    /** The announced body length, or -1 when none or not a number. */
    public static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
