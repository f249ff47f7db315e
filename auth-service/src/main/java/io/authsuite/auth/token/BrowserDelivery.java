package io.authsuite.auth.token;

import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Browser mode for first-party single-page apps: the refresh token travels in a {@code __Host-} cookie
 * (httpOnly, Secure, SameSite=Strict) instead of the response body, so page scripts never see it; the access
 * token stays in the body, for the app to keep in memory.
 *
 * <p>A request that relies on the cookie must come from an allowed {@code Origin} and carry the custom header
 * {@code X-Requested-With} (which a cross-site form cannot send): together they defeat CSRF.
 */
@ApplicationScoped
public class BrowserDelivery {

    public static final String COOKIE = "__Host-authsuite_rt";
    public static final String CUSTOM_HEADER = "X-Requested-With";

    private final AuthConfig config;

    public BrowserDelivery(AuthConfig config) {
        this.config = config;
    }

    /** What the request asked of browser mode. */
    public record Mode(boolean deliverAsCookie, FormParameters form) {
    }

    /**
     * Decides whether the request uses browser mode, and supplies the refresh token from the cookie when the
     * body has none.
     */
    public Mode prepare(FormParameters form, RegisteredClient client, String cookie, String origin, String customHeader) {
        boolean asked = "cookie".equals(form.get("refresh_token_delivery").orElse(null));
        boolean fromCookie = "refresh_token".equals(form.get("grant_type").orElse(null))
                && form.get("refresh_token").isEmpty() && cookie != null && !cookie.isEmpty();
        if (!asked && !fromCookie) {
            return new Mode(false, form);
        }
        if (!client.firstParty() || client.allowedOrigins().isEmpty()) {
            throw OAuthError.unauthorizedClient("browser mode is only for first-party apps with allowed origins");
        }
        if (origin == null || !client.allowedOrigins().contains(origin)) {
            // CSRF defence: the cookie is only honoured for the app's own origins.
            throw OAuthError.invalidRequest("the request's Origin is not allowed for this client");
        }
        if (customHeader == null || customHeader.isEmpty()) {
            throw OAuthError.invalidRequest("browser mode requests need the " + CUSTOM_HEADER + " header");
        }
        return new Mode(true, fromCookie ? form.with("refresh_token", cookie) : form);
    }

    /** A 200 answer with the token response, its refresh token moved into the cookie in browser mode. */
    public RestResponse.ResponseBuilder<TokenResponse> deliver(TokenResponse response, Mode mode) {
        if (!mode.deliverAsCookie() || response.refreshToken() == null) {
            return RestResponse.ResponseBuilder.ok(response);
        }
        return RestResponse.ResponseBuilder.ok(new TokenResponse(response.accessToken(), response.tokenType(),
                        response.expiresIn(), response.scope(), null, response.idToken()))
                .cookie(cookie(response.refreshToken(), (int) config.refreshToken().ttl().toSeconds()));
    }

    public static NewCookie clear() {
        return cookie("", 0);
    }

    private static NewCookie cookie(String value, int maxAge) {
        // The __Host- prefix requires Secure, Path=/ and no Domain: the cookie stays with this exact host.
        return new NewCookie.Builder(COOKIE).value(value).path("/").maxAge(maxAge).secure(true).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
