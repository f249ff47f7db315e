package io.authsuite.auth.console;

import io.authsuite.auth.authorize.Cookies;
import io.authsuite.auth.authorize.Csrf;
import io.authsuite.auth.store.SessionStore;
import io.authsuite.auth.users.User;
import io.authsuite.auth.users.UserStore;
import io.authsuite.auth.web.BearerTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;

/**
 * Who may use the console: a person signed in through the login form (the same session cookie as the browser flow)
 * whose account holds role {@code admin} now, not when the session began. Every form of the console carries the
 * session's CSRF token and, when the browser sends one, this server's Origin.
 */
@ApplicationScoped
public class ConsoleAccess {

    /** The signed-in admin: their subject for the audit trail, their name for the page, the forms' CSRF token. */
    public record Admin(String subject, String username, String csrf) {
    }

    private final Cookies cookies;
    private final SessionStore sessions;
    private final UserStore users;
    private final Csrf csrf;
    private final ConsolePages pages;
    private final java.time.Duration stepUpMaxAge;

    public ConsoleAccess(Cookies cookies, SessionStore sessions, UserStore users, Csrf csrf, ConsolePages pages,
                         io.authsuite.auth.config.AuthConfig config) {
        this.stepUpMaxAge = config.admin().stepUpMaxAge();
        this.cookies = cookies;
        this.sessions = sessions;
        this.users = users;
        this.csrf = csrf;
        this.pages = pages;
    }

    /** For a page: the admin, or a redirect to the sign-in form, or 403 for a person who is not an admin. */
    public Admin page(HttpHeaders headers, String returnTo) {
        String sessionId = cookies.sessionId(headers);
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId);
        if (session.isEmpty()) {
            throw new WebApplicationException(Response.seeOther(URI.create("/login?next="
                    + java.net.URLEncoder.encode(returnTo, java.nio.charset.StandardCharsets.UTF_8))).build());
        }
        return admin(session.get(), sessionId);
    }

    /**
     * For an action (a form's POST): the admin, or 403 without a session, an admin's role or a valid form token, or a
     * redirect to the sign-in form when the sign-in is older than {@code auth.admin.step-up-max-age}.
     */
    public Admin action(HttpHeaders headers, String formToken, String origin) {
        String sessionId = cookies.sessionId(headers);
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId);
        if (session.isEmpty()) {
            throw forbidden("Sign in to the console again.");
        }
        Admin admin = admin(session.get(), sessionId);
        // CSRF, as on the login forms: a state-changing request proves it came from a page of ours (synchronizer
        // token) and, where the browser says, from our origin.
        if (!csrf.validForSession(sessionId, formToken, origin)) {
            throw forbidden("The form has expired. Reload the page and try again.");
        }
        // As the admin API asks of a token's auth_time (RFC 9470): a change needs a recent sign-in, not only a live
        // session. The admin signs in again and comes back to the console; nothing was changed.
        if (!BearerTokens.signedInWithin(session.get().authTime().getEpochSecond(), stepUpMaxAge)) {
            throw new WebApplicationException(Response.seeOther(URI.create("/login?next=%2Fadmin%2F")).build());
        }
        return admin;
    }

    private Admin admin(SessionStore.LoginSession session, String sessionId) {
        User user = users.bySubject(session.subject()).orElse(null);
        // The user as stored now, not as at sign-in: RFC 9700 §2.3 least privilege, a removed role ends access at once.
        if (user == null || user.disabled() || !user.roles().contains("admin")) {
            throw forbidden("The admin console is for people with the admin role.");
        }
        return new Admin(user.subject(), user.username(), Csrf.forSession(sessionId));
    }

    private WebApplicationException forbidden(String message) {
        return new WebApplicationException(pages.forbidden(message));
    }
}
