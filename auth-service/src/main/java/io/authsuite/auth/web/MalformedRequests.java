package io.authsuite.auth.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.authorize.Pages;
import io.authsuite.auth.config.AuthConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link io.authsuite.http.MalformedRequests} in this server's shapes: RFC 6749 §5.2 JSON, or the error page at the
 * pages a browser shows and the authorization endpoint that leads to them; with the headers of every answer, which
 * Quarkus REST's filters do not add down here.
 */
@ApplicationScoped
public class MalformedRequests {

    void install(@Observes Router router, ObjectMapper json, Pages pages, AuthConfig config) {
        Map<String, String> headers = SecurityHeaders.fixed(config.issuer().startsWith("https://"));
        io.authsuite.http.MalformedRequests.install(router, (rc, detail) -> {
            HttpServerResponse response = rc.response();
            headers.forEach(response::putHeader);
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            String authorization = rc.request().headers().get(HttpHeaders.AUTHORIZATION);
            if (io.authsuite.http.MalformedRequests.refusedForCredentials(detail) && authorization != null
                    && io.authsuite.http.MalformedRequests.carriesToken(authorization)) {
                // RFC 6750 §3: a request refused for how it sent its access token gets a challenge naming the error,
                // as the resource services answer it (userinfo, the admin API, client registration management).
                response.putHeader("WWW-Authenticate", BearerTokens.challenge(authorization,
                        "invalid_request", ", error_description=\"" + detail + "\""));
            }
            if (isPage(rc.request().path())) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                        .end(pages.errorHtml("invalid_request", "The request could not be read ("
                                + detail + "). Go back and try again."));
            } else {
                response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(error(json, detail));
            }
        });
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
