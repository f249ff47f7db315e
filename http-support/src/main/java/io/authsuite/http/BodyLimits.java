package io.authsuite.http;

import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Refuses a request body larger than {@code quarkus.http.limits.max-body-size} as Quarkus does, but with the answer a
 * service gives (its error shape): Quarkus' own 413 is empty. Runs just before Quarkus' limit (its route order -2).
 * A body announced larger is refused before it is read. A chunked body of a POST, PUT or PATCH announces no length, so
 * it is read here, up to the limit and within {@link #READ_DEADLINE_MS}, and refused the same way once it grows past
 * the limit; Quarkus' limit would cut it off with its empty 413 while the endpoint reads it, and the endpoint's read
 * would fail into an error logged at ERROR. Quarkus REST reads the body set here rather than the stream.
 */
public final class BodyLimits {

    private static final Logger LOG = Logger.getLogger(BodyLimits.class);

    /** How long a chunked body may take to arrive, as Quarkus' own read timeout ({@code quarkus.http.read-timeout}). */
    static final long READ_DEADLINE_MS = 60_000;

    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private BodyLimits() {
    }

    /**
     * @param headers the 413's headers (its Content-Type above all)
     * @param body    the 413's body
     */
    public static void install(Router router, long limit, Map<String, String> headers, String body) {
        router.route().order(-3).handler(rc -> {
            HttpServerRequest request = rc.request();
            if (contentLength(request.getHeader(HttpHeaders.CONTENT_LENGTH)) > limit) {
                refuse(rc, headers, body);
                return;
            }
            if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.version() != HttpVersion.HTTP_2
                    && WITH_BODY.contains(request.method()) && chunked(request.getHeader(HttpHeaders.TRANSFER_ENCODING))) {
                readChunked(rc, limit, headers, body);
                return;
            }
            rc.next();
        });
    }

    /** RFC 9112 §6.1: chunked is the last transfer coding named. */
    static boolean chunked(String transferEncoding) {
        if (transferEncoding == null) {
            return false;
        }
        String[] codings = transferEncoding.split(",");
        return codings[codings.length - 1].strip().toLowerCase(Locale.ROOT).equals("chunked");
    }

    private static void readChunked(RoutingContext rc, long limit, Map<String, String> headers, String body) {
        HttpServerRequest request = rc.request();
        Buffer read = Buffer.buffer();
        boolean[] over = {false};
        long deadline = rc.vertx().setTimer(READ_DEADLINE_MS, id -> {
            if (!over[0]) {
                over[0] = true;
                LOG.debugf("A chunked body to %s took longer than %d ms: connection closed", request.path(),
                        READ_DEADLINE_MS);
                request.connection().close();
            }
        });
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (read.length() + chunk.length() > limit) {
                over[0] = true;
                rc.vertx().cancelTimer(deadline);
                refuse(rc, headers, body);
                return;
            }
            read.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (over[0]) {
                return;
            }
            over[0] = true;
            rc.vertx().cancelTimer(deadline);
            if (failure instanceof HttpClosedException) {
                // The client went away: nobody to answer, nothing to log above DEBUG.
                LOG.debugf("A chunked body to %s ended with the connection", request.path());
                return;
            }
            // A chunk that cannot be read (a malformed size line): the request's fault, answered 400 in the
            // service's shape (its MalformedRequests), the connection closed.
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
            rc.fail(400, new VertxException("the chunked body is malformed", true));
        });
        request.endHandler(done -> {
            if (over[0]) {
                return;
            }
            over[0] = true;
            rc.vertx().cancelTimer(deadline);
            // The endpoint owns the request from here: a later close is its to see, not this reader's.
            request.handler(null);
            request.exceptionHandler(null);
            rc.setBody(read);
            rc.next();
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // RFC 9110 §10.1.1: the client may wait for this before it sends the body (curl does, for a second).
            rc.response().writeContinue();
        }
        // Quarkus hands requests over paused.
        request.resume();
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
