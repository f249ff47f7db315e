package io.authsuite.auth.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.authorize.Pages;
import io.authsuite.auth.config.AuthConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Requests Vert.x or Quarkus refuse before any endpoint sees them get this server's error shapes (RFC 6749 §5.2 JSON,
 * or the error page at the pages a browser shows): a missing or invalid {@code Host} (RFC 9112 §3.2), above all,
 * which Quarkus answers with its "500 - Internal Server Error" text under a 400, without the security headers, and with
 * an ERROR line that any client could flood the log with; any other 4xx Vert.x Web fails a request with, which Quarkus
 * answers with an empty body. (A request line Vert.x core cannot read, such as a broken percent-encoding, is refused
 * below the router, with an empty 400 and the connection closed.)
 */
@ApplicationScoped
public class MalformedRequests {

    private static final Logger LOG = Logger.getLogger(MalformedRequests.class);

    void install(@Observes Router router, ObjectMapper json, Pages pages, AuthConfig config) {
        Map<String, String> headers = SecurityHeaders.fixed(config.issuer().startsWith("https://"));
        // Before Quarkus' own failure handler, which is the last.
        router.route().order(-4).failureHandler(rc -> {
            if (!refusedBeforeRouting(rc)) {
                rc.next();
                return;
            }
            int status = rc.statusCode();
            String detail = detail(status, rc.failure());
            LOG.debugf("Request refused with %d before routing: %s", status, detail);
            HttpServerResponse response = rc.response().setStatusCode(status);
            headers.forEach(response::putHeader);
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            if (isPage(rc.request().path())) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                        .end(pages.errorHtml("invalid_request", "The request could not be read ("
                                + detail + "). Go back and try again."));
            } else {
                response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(error(json, detail));
            }
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
            return "the request body is larger than this server accepts";
        }
        if (failure != null && failure.getMessage() != null && failure.getMessage().contains("'Host' header")) {
            return "the Host header is missing or invalid";
        }
        return status == 400 ? "the request is malformed"
                : HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    /** The pages a person's browser shows, and the authorization endpoint that leads to them, answer with a page. */
    private static boolean isPage(String path) {
        String p = path == null ? "" : path;
        return p.equals("/oauth2/authorize") || BrowserPages.PATHS.stream()
                .anyMatch(page -> p.equals(page) || p.startsWith(page + "/"));
    }

    private static String error(ObjectMapper json, String detail) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("error", "invalid_request");
        error.put("error_description", detail);
        try {
            return json.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
