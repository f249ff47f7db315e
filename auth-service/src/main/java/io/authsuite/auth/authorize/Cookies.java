package io.authsuite.auth.authorize;

import io.authsuite.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;

/**
 * The cookies of the browser flow. All are httpOnly and Secure outside local http runs. The login session is
 * SameSite=Lax, so that it is sent when a client sends the browser to the authorization endpoint with a GET (a
 * client's cross-site form POST there arrives without it, and the person signs in again); the CSRF cookie of the
 * forms is SameSite=Strict. Where they are Secure their names carry the {@code __Host-} prefix (RFC 6265bis
 * §4.1.3.2): a browser then accepts them only from this host over https, with Path=/ and no Domain, so a sibling
 * subdomain or a plain-http response cannot plant a session or CSRF cookie of its own. The known-browser cookie
 * ({@link KnownBrowsers}) is SameSite=Strict too: only this server's own sign-in form needs it.
 */
@ApplicationScoped
public class Cookies {

    private static final String SESSION = "authsuite_session";
    private static final String CSRF = "authsuite_csrf";
    private static final String KNOWN_BROWSER = "authsuite_known";

    private final AuthConfig config;
    private final String sessionName;
    private final String csrfName;
    private final String knownBrowserName;

    public Cookies(AuthConfig config) {
        this.config = config;
        String prefix = config.session().secureCookies() ? "__Host-" : "";
        this.sessionName = prefix + SESSION;
        this.csrfName = prefix + CSRF;
        this.knownBrowserName = prefix + KNOWN_BROWSER;
    }

    /** The login session id the browser sent, or null. */
    public String sessionId(HttpHeaders headers) {
        return value(headers, sessionName);
    }

    /** The CSRF token of the form's cookie, or null. */
    public String csrfToken(HttpHeaders headers) {
        return value(headers, csrfName);
    }

    /** The known-browser value the browser sent, or null. */
    public String knownBrowser(HttpHeaders headers) {
        return value(headers, knownBrowserName);
    }

    private static String value(HttpHeaders headers, String name) {
        Cookie cookie = headers.getCookies().get(name);
        return cookie == null ? null : cookie.getValue();
    }

    public NewCookie session(String value) {
        return cookie(sessionName, value, config.session().ttl(), NewCookie.SameSite.LAX);
    }

    public NewCookie csrf(String value) {
        return cookie(csrfName, value, config.authorizationCode().requestTtl(), NewCookie.SameSite.STRICT);
    }

    public NewCookie knownBrowser(String value) {
        return cookie(knownBrowserName, value, config.login().knownBrowserLifetime(), NewCookie.SameSite.STRICT);
    }

    public NewCookie clearSession() {
        return clear(sessionName);
    }

    public NewCookie clearCsrf() {
        return clear(csrfName);
    }

    private NewCookie clear(String name) {
        return new NewCookie.Builder(name).value("").path("/").maxAge(0).httpOnly(true)
                .secure(config.session().secureCookies()).sameSite(NewCookie.SameSite.LAX).build();
    }

    private NewCookie cookie(String name, String value, Duration maxAge, NewCookie.SameSite sameSite) {
        return new NewCookie.Builder(name).value(value).path("/").maxAge((int) maxAge.toSeconds())
                .httpOnly(true).secure(config.session().secureCookies()).sameSite(sameSite).build();
    }
}
