package io.authsuite.auth.authorize;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.store.SessionStore;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.authsuite.auth.users.Usernames;
import io.authsuite.auth.web.Addresses;
import io.authsuite.auth.web.BrowserPages;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;

/**
 * The sign-in form. Failures say only "invalid username or password", whether or not the user exists, and are
 * throttled per username and per client IP, or, in a browser where the account signed in before, per that browser.
 */
@Path("/login")
public class LoginResource implements BrowserPages {

    private static final String EXPIRED = "This sign-in request has expired. Go back to the application and try again.";

    private final PendingRequests pending;
    private final UserStore users;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final AuthorizationFlow flow;
    private final Pages pages;
    private final Csrf csrf;
    private final AuditLog audit;
    private final Cookies cookies;
    private final KnownBrowsers knownBrowsers;

    public LoginResource(PendingRequests pending, UserStore users, SessionStore sessions, LoginThrottle throttle,
                         AuthorizationFlow flow, Pages pages, Csrf csrf, Cookies cookies, KnownBrowsers knownBrowsers,
                         AuditLog audit) {
        this.knownBrowsers = knownBrowsers;
        this.audit = audit;
        this.pending = pending;
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.flow = flow;
        this.pages = pages;
        this.csrf = csrf;
        this.cookies = cookies;
    }

    @GET
    public Response form(@QueryParam("request") String requestId, @QueryParam("next") String next) {
        String token = csrf.next();
        if (requestId == null && isLocalNext(next)) {
            return pages.login(200, null, next, label(next), token, null, null).cookie(cookies.csrf(token)).build();
        }
        AuthorizationRequest request = pending.find(requestId).orElseThrow(() -> AuthorizeError.page(EXPIRED));
        return pages.login(200, requestId, null, request.clientId(), token, null, null).cookie(cookies.csrf(token)).build();
    }

    /**
     * Only this server's own device page and admin console may be returned to after a sign-in without an
     * authorization request: a fixed path prefix, never an address of another origin (RFC 9700 §4.11, open redirects).
     */
    static boolean isLocalNext(String next) {
        if (next == null || !(next.startsWith("/device") || next.startsWith("/admin/")) || next.length() >= 200
                || next.chars().anyMatch(c -> c == '\\' || c < 0x21 || c > 0x7e)) {
            return false;
        }
        try {
            // It becomes a Location header: only what parses as a relative URI, so a stray '{' is a 400, not a 500.
            java.net.URI uri = new java.net.URI(next);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            // A dot segment, plain or percent-encoded, would take the browser out of the prefix it passed
            // (RFC 3986 §5.2.4: /admin/../oauth2/logout is /oauth2/logout).
            boolean dotSegment = path.toLowerCase(java.util.Locale.ROOT).contains("%2e")
                    || java.util.Arrays.stream(path.split("/", -1)).anyMatch(s -> s.equals(".") || s.equals(".."));
            return !uri.isAbsolute() && !dotSegment;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String label(String next) {
        return next.startsWith("/admin/") ? "the admin console" : "this device";
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@FormParam("request") String requestId, @FormParam("next") String next,
                           @FormParam("username") String username,
                           @FormParam("password") String password, @FormParam("csrf") String formToken,
                           @Context HttpHeaders headers, @HeaderParam("Origin") String origin,
                           @Context HttpServerRequest http) {
        String cookieToken = cookies.csrfToken(headers);
        // RFC 6749 §10.12: a sign-in posted from another site (login CSRF) is refused.
        if (!csrf.valid(cookieToken, formToken, origin)) {
            return pages.error(403, "The form has expired. Go back to the application and sign in again.").build();
        }
        boolean toLocalPage = (requestId == null || requestId.isEmpty()) && isLocalNext(next);
        AuthorizationRequest request = toLocalPage ? null
                : pending.find(requestId).orElseThrow(() -> AuthorizeError.page(EXPIRED));
        String clientLabel = toLocalPage ? label(next) : request.clientId();
        Optional<String> account = Usernames.canonical(username);
        if (account.isEmpty() || password == null || password.isEmpty() || password.length() > 1024) {
            return retry(400, requestId, next, clientLabel, username, "Enter your username and password.").build();
        }
        LoginThrottle.Attempt attempt;
        String browser = KnownBrowsers.wellFormed(cookies.knownBrowser(headers));
        // Read before the throttle only for the known-browser stamp: a refused attempt otherwise reads no user.
        UserStore.Credential credential = browser == null ? null : users.credential(account.get());
        try {
            // Counted before the Argon2 check, so parallel guesses cannot outrun the budget (RFC 9700 §4.1 spirit).
            // No account: a stamp no record holds, so that the browser's record is looked up all the same and the
            // answer's timing does not tell which usernames exist.
            attempt = throttle.attempt(LoginThrottle.Kind.PASSWORD, account.get(), Addresses.source(http), browser,
                    browser == null ? null : credential.stamp());
        } catch (LoginThrottle.Refused refused) {
            audit.throttled(AuditTypes.SIGN_IN, null, clientId(request), "too many failed sign-ins",
                    Map.of("username", account.get()));
            return retry(429, requestId, next, clientLabel, username, "Too many failed sign-ins. Try again later.")
                    .header("Retry-After", Long.toString(refused.retryAfter())).build();
        }
        Optional<UserStore.Verified> user;
        try {
            user = users.authenticate(credential != null ? credential : users.credential(account.get()), password);
        } catch (PasswordHasher.Busy busy) {
            attempt.notChecked();
            return retry(503, requestId, next, clientLabel, username, "The server is busy. Try again in a moment.")
                    .header("Retry-After", "1").build();
        }
        if (user.isEmpty()) {
            audit.failure(AuditTypes.SIGN_IN, null, clientId(request), "invalid username or password",
                    Map.of("username", account.get()));
            return retry(401, requestId, next, clientLabel, username, "Invalid username or password.").build();
        }
        attempt.succeeded();
        String subject = user.get().user().subject();
        SessionStore.LoginSession session = sessions.create(subject);
        if (!users.unchangedSince(user.get())) {
            // A password reset or a disable ran during this sign-in and ended the person's sessions before this one
            // existed: it must not outlive them ("log out everywhere" of the reset, RFC 9700 §4.14.2 in spirit).
            sessions.delete(session.id());
            audit.failure(AuditTypes.SIGN_IN, subject, clientId(request), "the account changed during the sign-in",
                    Map.of("username", account.get()));
            return retry(401, requestId, next, clientLabel, username,
                    "Your account changed while you were signing in. Sign in again.").build();
        }
        audit.success(AuditTypes.SIGN_IN, subject, clientId(request), Map.of("username", account.get()));
        // The browser's previous session ends with this sign-in: after prompt=login, or another person signing in on
        // a shared browser, the old session id must not stay usable for the rest of its lifetime.
        String previous = cookies.sessionId(headers);
        if (previous != null) {
            sessions.delete(previous);
        }
        Response continued = toLocalPage ? Response.seeOther(java.net.URI.create(next)).build()
                : flow.finish(requestId, request, session);
        String known = knownBrowsers.remember(account.get(), browser, user.get().credentialStamp());
        return Response.fromResponse(continued)
                .cookie(cookies.session(session.id()), cookies.clearCsrf(), cookies.knownBrowser(known)).build();
    }

    private static String clientId(AuthorizationRequest request) {
        return request == null ? null : request.clientId();
    }

    private Response.ResponseBuilder retry(int status, String requestId, String next, String clientLabel,
                                           String username, String problem) {
        String token = csrf.next();
        return pages.login(status, requestId, next, clientLabel, token, username, problem).cookie(cookies.csrf(token));
    }
}
