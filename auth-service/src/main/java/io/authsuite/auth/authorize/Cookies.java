package io.authsuite.auth.authorize;

import io.authsuite.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;

/**
 * The cookies of the browser flow. All are httpOnly and Secure outside local http runs. The login session is
 * SameSite=Lax, so that it is sent when a client sends the browser to the authorization endpoint; the CSRF cookie
 * of the forms is SameSite=Strict.
 */
@ApplicationScoped
public class Cookies {

    public static final String SESSION = "authsuite_session";
    public static final String CSRF = "authsuite_csrf";

    private final AuthConfig config;

    public Cookies(AuthConfig config) {
        this.config = config;
    }

    public NewCookie session(String value) {
        return cookie(SESSION, value, config.session().ttl(), NewCookie.SameSite.LAX);
    }

    public NewCookie csrf(String value) {
        return cookie(CSRF, value, config.authorizationCode().requestTtl(), NewCookie.SameSite.STRICT);
    }

    public NewCookie clear(String name) {
        return new NewCookie.Builder(name).value("").path("/").maxAge(0).httpOnly(true)
                .secure(config.session().secureCookies()).sameSite(NewCookie.SameSite.LAX).build();
    }

    private NewCookie cookie(String name, String value, Duration maxAge, NewCookie.SameSite sameSite) {
        return new NewCookie.Builder(name).value(value).path("/").maxAge((int) maxAge.toSeconds())
                .httpOnly(true).secure(config.session().secureCookies()).sameSite(sameSite).build();
    }
}
