package io.authsuite.auth.cors;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RegisteredClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * CORS (the Fetch standard) for the endpoints a single-page app on another origin calls from the browser; every other
 * path (the sign-in pages, the admin API, introspection) gets no CORS header, so no other origin's script reads them.
 * <ul>
 *   <li>Discovery and the JWKS are public: any origin reads them.</li>
 *   <li>UserInfo is authorised by the access token a script sends, never by a cookie: any origin, without
 *   credentials (OIDC Core §5.3: the UserInfo Endpoint SHOULD support CORS).</li>
 *   <li>The token and revocation endpoints answer only an origin some client registered in {@code allowed_origins},
 *   and with credentials, since browser mode's refresh token is a cookie ({@code BrowserDelivery}, which still checks
 *   the origin against the one client of the request).</li>
 * </ul>
 */
@ApplicationScoped
public class CrossOriginRequests {

    /** Ahead of Quarkus' authentication (-200): a preflight carries no credentials and must not be refused for it. */
    private static final int ORDER = -250;

    private enum Access {
        /** Public data, no credentials. */
        ANY_ORIGIN("GET", "", ""),
        /** A bearer (or DPoP) token in the request; no cookie. */
        BEARER("GET, POST", "Authorization, Content-Type, DPoP", "WWW-Authenticate, DPoP-Nonce"),
        /** A client's own origins, with credentials (browser mode's cookie). */
        REGISTERED_ORIGIN("POST", "Authorization, Content-Type, DPoP, X-Requested-With", "WWW-Authenticate, DPoP-Nonce");

        final String methods;
        final String headers;
        final String exposed;

        Access(String methods, String headers, String exposed) {
            this.methods = methods;
            this.headers = headers;
            this.exposed = exposed;
        }
    }

    private static final Map<String, Access> PATHS = Map.of(
            "/.well-known/openid-configuration", Access.ANY_ORIGIN,
            "/.well-known/oauth-authorization-server", Access.ANY_ORIGIN,
            "/oauth2/jwks", Access.ANY_ORIGIN,
            "/oauth2/userinfo", Access.BEARER,
            "/oauth2/token", Access.REGISTERED_ORIGIN,
            "/oauth2/revoke", Access.REGISTERED_ORIGIN);

    /** How long a browser may keep a preflight's answer (seconds); a registration's change shows within it. */
    static final String MAX_AGE = "600";

    private final ClientRegistry clients;

    public CrossOriginRequests(ClientRegistry clients) {
        this.clients = clients;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Access access = PATHS.get(request.path());
        if (access == null) {
            rc.next();
            return;
        }
        HttpServerResponse response = rc.response();
        if (access == Access.REGISTERED_ORIGIN) {
            // The answer depends on the Origin: a shared cache must not hand one origin's answer to another.
            response.putHeader(HttpHeaders.VARY, "Origin");
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean preflight = request.method() == HttpMethod.OPTIONS
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        if (origin == null || !allowed(access, origin)) {
            // No CORS header: the browser keeps the answer from the script. A preflight still gets its ordinary answer.
            rc.next();
            return;
        }
        response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, access == Access.REGISTERED_ORIGIN ? origin : "*");
        if (access == Access.REGISTERED_ORIGIN) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (preflight) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, access.methods);
            if (!access.headers.isEmpty()) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, access.headers);
            }
            response.putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            response.setStatusCode(204).end();
            return;
        }
        if (!access.exposed.isEmpty()) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, access.exposed);
        }
        rc.next();
    }

    private boolean allowed(Access access, String origin) {
        if (access != Access.REGISTERED_ORIGIN) {
            return true;
        }
        // An opaque origin ("null": a sandboxed frame, a file) is nobody's registered origin.
        for (RegisteredClient client : clients.all().values()) {
            if (client.allowedOrigins().contains(origin)) {
                return true;
            }
        }
        return false;
    }
}
