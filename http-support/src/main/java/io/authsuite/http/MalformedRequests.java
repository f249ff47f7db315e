package io.authsuite.http;

import io.authsuite.dpop.DpopProofs;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Requests Vert.x Web refuses before any endpoint sees them, answered in a service's own error shape: a missing or
 * invalid {@code Host} (RFC 9112 §3.2) above all, which Quarkus answers with its "500 - Internal Server Error" text
 * under a 400 and an ERROR line that any client could flood the log with; any other 4xx Vert.x Web fails a request
 * with, which Quarkus answers with an empty body. (A request line Vert.x core cannot read, such as a broken
 * percent-encoding, is refused below the router, with an empty 400 and the connection closed.) Also a request with
 * two {@code Authorization} headers, or an access token in its query beside the header, before Quarkus' authentication
 * or any endpoint reads one of them.
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

    /** The detail of a request refused for carrying an access token in its query beside its Authorization header. */
    public static final String TOKEN_IN_QUERY_TOO =
            "the request carries an access token in its Authorization header and in its query";

    /** Whether {@code detail} refused a request for how it carried its credentials (a resource server challenges). */
    public static boolean refusedForCredentials(String detail) {
        return REPEATED_AUTHORIZATION.equals(detail) || TOKEN_IN_QUERY_TOO.equals(detail);
    }

    /**
     * @param answer ends the response (its status already set) in the service's shape, given what the client is told
     */
    public static void install(Router router, BiConsumer<RoutingContext, String> answer) {
        // Ahead of Quarkus' HTTP authentication (order -200) and permission checks (-100), which would read the first.
        router.route().order(REPEATED_AUTHORIZATION_ORDER).handler(rc -> {
            // RFC 9110 §5.3: Authorization is not a list, so two of them are not one value. Which one a proxy in front
            // checked cannot be known, so neither is used: RFC 6750 §3.1 and RFC 6749 §5.2 call it invalid_request.
            List<String> authorizations = rc.request().headers().getAll(HttpHeaders.AUTHORIZATION);
            if (authorizations.size() > 1) {
                LOG.debugf("Request refused: %s", REPEATED_AUTHORIZATION);
                rc.response().setStatusCode(400);
                answer.accept(rc, REPEATED_AUTHORIZATION);
                return;
            }
            // RFC 6750 §3.1: a request that "uses more than one method for including an access token" is
            // invalid_request; which of the two a proxy in front checked cannot be known (and §5.3: none in a URL).
            if (authorizations.size() == 1 && carriesToken(authorizations.get(0))
                    && namesAccessToken(rc.request().query())) {
                LOG.debugf("Request refused: %s", TOKEN_IN_QUERY_TOO);
                rc.response().setStatusCode(400);
                answer.accept(rc, TOKEN_IN_QUERY_TOO);
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

    /** An Authorization header of the Bearer (RFC 6750) or DPoP (RFC 9449) scheme, which carry access tokens. */
    public static boolean carriesToken(String authorization) {
        return authorization.regionMatches(true, 0, "Bearer ", 0, 7) || DpopProofs.isDpopScheme(authorization);
    }

    /** Whether a query names {@code access_token} (RFC 6750 §2.3's parameter), with or without a value. */
    static boolean namesAccessToken(String query) {
        if (query == null || !query.contains("access_token")) {
            return false;
        }
        for (String pair : query.split("&")) {
            if (pair.equals("access_token") || pair.startsWith("access_token=")) {
                return true;
            }
        }
        return false;
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
