package io.authsuite.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Requests Vert.x Web refuses before any endpoint sees them, answered in a service's own error shape: a missing or
 * invalid {@code Host} (RFC 9112 §3.2) above all, which Quarkus answers with its "500 - Internal Server Error" text
 * under a 400 and an ERROR line that any client could flood the log with; any other 4xx Vert.x Web fails a request
 * with, which Quarkus answers with an empty body. (A request line Vert.x core cannot read, such as a broken
 * percent-encoding, is refused below the router, with an empty 400 and the connection closed.) Also a request with
 * two {@code Authorization} headers, before Quarkus' authentication or any endpoint reads the first of them.
 */
public final class MalformedRequests {

    private static final Logger LOG = Logger.getLogger(MalformedRequests.class);
    private static final int REPEATED_AUTHORIZATION_ORDER = -300;

    private MalformedRequests() {
    }

    /**
     * The detail of a request refused for carrying more than one {@code Authorization} header: a resource server tells
     * it by this value, to add its challenge.
     */
    public static final String REPEATED_AUTHORIZATION = "the request has more than one Authorization header";

    /**
     * @param answer ends the response (its status already set) in the service's shape, given what the client is told
     */
    public static void install(Router router, BiConsumer<RoutingContext, String> answer) {
        // Ahead of Quarkus' HTTP authentication (order -200) and permission checks (-100), which would read the first.
        router.route().order(REPEATED_AUTHORIZATION_ORDER).handler(rc -> {
            // RFC 9110 §5.3: Authorization is not a list, so two of them are not one value. Which one a proxy in front
            // checked cannot be known, so neither is used: RFC 6750 §3.1 and RFC 6749 §5.2 call it invalid_request.
            if (rc.request().headers().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
                LOG.debugf("Request refused: %s", REPEATED_AUTHORIZATION);
                rc.response().setStatusCode(400);
                answer.accept(rc, REPEATED_AUTHORIZATION);
                return;
            }
            rc.next();
        });
        // Before Quarkus' own failure handler, which is the last.
        router.route().order(-4).failureHandler(rc -> {
            if (!refusedBeforeRouting(rc)) {
                rc.next();
                return;
            }
            int status = rc.statusCode();
            String detail = detail(status, rc.failure());
            LOG.debugf("Request refused with %d before routing: %s", status, detail);
            rc.response().setStatusCode(status);
            answer.accept(rc, detail);
        });
    }

    /**
     * A 4xx that Vert.x or Quarkus failed the request with (no exception, or Vert.x' own VertxException), before any
     * answer was started: what the endpoints refuse comes back through their exception mappers, never here.
     */
    private static boolean refusedBeforeRouting(RoutingContext rc) {
        int status = rc.statusCode();
        Throwable failure = rc.failure();
        return status >= 400 && status < 500 && !rc.response().headWritten()
                && (failure == null || failure.getClass() == VertxException.class);
    }

    private static String detail(int status, Throwable failure) {
        if (status == 413) {
            return "the request body is larger than this service accepts";
        }
        if (failure != null && failure.getMessage() != null && failure.getMessage().contains("'Host' header")) {
            return "the Host header is missing or invalid";
        }
        return status == 400 ? "the request is malformed" : HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
