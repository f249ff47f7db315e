package io.authsuite.auth.authorize;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RedirectUriRules;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.keys.SigningKeys;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.store.SessionStore;
import io.authsuite.auth.token.BrowserDelivery;
import io.authsuite.auth.web.BrowserPages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
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
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the login session and revokes the refresh
 * families started in it. With a valid {@code id_token_hint} for the signed-in person it acts at once; otherwise
 * it asks the person first, so a cross-site link cannot sign anyone out.
 */
@Path("/oauth2/logout")
public class LogoutResource implements BrowserPages {

    private final SessionStore sessions;
    private final RefreshTokenStore refreshTokens;
    private final ClientRegistry clients;
    private final Pages pages;
    private final Csrf csrf;
    private final Cookies cookies;
    private final JwtConsumer idTokenHints;
    private final String issuer;

    public LogoutResource(SessionStore sessions, RefreshTokenStore refreshTokens, ClientRegistry clients, Pages pages,
                          Csrf csrf, Cookies cookies, SigningKeys keys, AuthConfig config) {
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
        this.clients = clients;
        this.pages = pages;
        this.csrf = csrf;
        this.cookies = cookies;
        this.issuer = config.issuer();
        // Signature only here; the claims are checked in parse() (see there).
        this.idTokenHints = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver((jws, nesting) -> keys.published().stream()
                        .filter(k -> k.kid().equals(jws.getKeyIdHeaderValue())).findFirst()
                        .map(k -> (java.security.Key) k.publicKey())
                        .orElseThrow(() -> new org.jose4j.lang.UnresolvableKeyException("unknown kid")))
                .setSkipAllDefaultValidators()
                .build();
    }

    @GET
    public Response get(@QueryParam("id_token_hint") String hint, @QueryParam("client_id") String clientId,
                        @QueryParam("post_logout_redirect_uri") String redirect, @QueryParam("state") String state,
                        @Context HttpHeaders headers,
                        @CookieParam(BrowserDelivery.COOKIE) String refreshCookie) {
        String sessionId = cookies.sessionId(headers);
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId);
        Optional<JwtClaims> claims = parse(hint, clientId);
        String client = clientId != null ? clientId : claims.map(LogoutResource::audience).orElse(null);
        String target = validatedRedirect(client, redirect, state);
        boolean hintMatches = session.isPresent() && claims.map(c -> session.get().subject().equals(subject(c))).orElse(false);
        if (session.isEmpty() || hintMatches) {
            revokeBrowserGrant(refreshCookie);
            return logout(session, target);
        }
        String token = csrf.next();
        return pages.logoutConfirm(token, target).cookie(cookies.csrf(token)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(@FormParam("csrf") String formToken, @FormParam("target") String target,
                         @Context HttpHeaders headers,
                         @CookieParam(BrowserDelivery.COOKIE) String refreshCookie, @HeaderParam("Origin") String origin) {
        String cookieToken = cookies.csrfToken(headers);
        String sessionId = cookies.sessionId(headers);
        // OpenID Connect RP-Initiated Logout §2: the person confirms; a forged post must not sign them out.
        if (!csrf.valid(cookieToken, formToken, origin)) {
            return pages.error(403, "The form has expired.").build();
        }
        revokeBrowserGrant(refreshCookie);
        // The target came from this server's own form; it is checked again rather than trusted.
        String checked = target == null || target.isEmpty() ? null : revalidate(target);
        return logout(sessions.find(sessionId), checked);
    }

    private Response logout(Optional<SessionStore.LoginSession> session, String target) {
        session.ifPresent(s -> {
            refreshTokens.revokeSession(SessionStore.reference(s.id()));
            sessions.delete(s.id());
        });
        Response.ResponseBuilder response = target != null
                ? Response.seeOther(URI.create(target))
                : pages.message("Signed out", "You are signed out.");
        return response.cookie(cookies.clearSession(), BrowserDelivery.clear())
                .header("Cache-Control", "no-store").build();
    }

    /** A browser-mode app's refresh token rides along in its cookie: its family ends with the logout. */
    private void revokeBrowserGrant(String refreshCookie) {
        refreshTokens.familyOf(refreshCookie).ifPresent(refreshTokens::revokeFamily);
    }

    /** The post-logout redirect with state, if it is registered for the client; otherwise none. */
    private String validatedRedirect(String clientId, String redirect, String state) {
        if (redirect == null || clientId == null) {
            return null;
        }
        Optional<RegisteredClient> client = clients.find(clientId);
        List<String> allowed = client.map(RegisteredClient::postLogoutRedirectUris).orElse(List.of());
        if (!allowed.contains(redirect)) {
            return null;
        }
        String target = state == null ? redirect
                : redirect + (redirect.contains("?") ? "&" : "?") + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
        return parses(target) ? target : null;
    }

    private String revalidate(String target) {
        for (RegisteredClient client : clients.all().values()) {
            for (String uri : client.postLogoutRedirectUris()) {
                if (target.equals(uri) || target.startsWith(uri + (uri.contains("?") ? "&state=" : "?state="))) {
                    return parses(target) ? target : null;
                }
            }
        }
        return null;
    }

    /**
     * RP-Initiated Logout §3 with the redirect URI rules of RFC 6749 §3.1.2: only an absolute URI of a client's
     * endpoint can be redirected to. A state tail the prefix check lets through (a space, a bad %-escape), or a
     * registered URI from before they were checked (one that does not parse, a {@code javascript:} one), is no
     * redirect: the page without one.
     */
    private static boolean parses(String target) {
        return RedirectUriRules.shapeProblem(target) == null;
    }

    /**
     * The claims of an id_token this server issued, or empty. The signature is checked by the consumer; expiry is not
     * (an expired id_token still names who is logging out), so everything else is checked here, by hand.
     */
    private Optional<JwtClaims> parse(String hint, String clientId) {
        if (hint == null || hint.length() > 8192) {
            return Optional.empty();
        }
        try {
            JwtContext context = idTokenHints.process(hint);
            JwtClaims claims = context.getJwtClaims();
            String typ = context.getJoseObjects().get(0).getHeader("typ");
            String aud = audience(claims);
            // RP-Initiated Logout §2: the hint must be an ID Token this OP issued (iss; typ JWT, not an at+jwt access
            // token) to one of its clients, and "MUST" match client_id when both are given.
            boolean valid = issuer.equals(claims.getIssuer()) && "JWT".equals(typ) && aud != null
                    && clients.find(aud).isPresent() && (clientId == null || clientId.equals(aud))
                    && subject(claims) != null;
            return valid ? Optional.of(claims) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String audience(JwtClaims claims) {
        try {
            List<String> aud = claims.getAudience();
            return aud.isEmpty() ? null : aud.get(0);
        } catch (Exception e) {
            return null;
        }
    }

    private static String subject(JwtClaims claims) {
        try {
            return claims.getSubject();
        } catch (Exception e) {
            return null;
        }
    }
}
