package io.authsuite.auth.authorize;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RedirectUriRules;
import io.authsuite.auth.clients.RegisteredClient;
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
    private final IdTokenHints idTokenHints;

    public LogoutResource(SessionStore sessions, RefreshTokenStore refreshTokens, ClientRegistry clients, Pages pages,
                          Csrf csrf, Cookies cookies, IdTokenHints idTokenHints) {
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
        this.clients = clients;
        this.pages = pages;
        this.csrf = csrf;
        this.cookies = cookies;
        this.idTokenHints = idTokenHints;
    }

    @GET
    public Response get(@QueryParam("id_token_hint") String hint, @QueryParam("client_id") String clientId,
                        @QueryParam("post_logout_redirect_uri") String redirect, @QueryParam("state") String state,
                        @Context HttpHeaders headers,
                        @CookieParam(BrowserDelivery.COOKIE) String refreshCookie) {
        String sessionId = cookies.sessionId(headers);
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId);
        Optional<IdTokenHints.Hint> hinted = idTokenHints.parse(hint, clientId);
        String client = clientId != null ? clientId : hinted.map(IdTokenHints.Hint::audience).orElse(null);
        // RP-Initiated Logout §4: a hint that fails validation (another issuer's, not an ID Token, or, §2, not the
        // client_id's) MUST NOT be used, nor the redirect it would stand behind: the person stays on this server.
        String target = hint != null && hinted.isEmpty() ? null : validatedRedirect(client, redirect, state);
        // RP-Initiated Logout §2: the person MUST be asked when the ID Token does not belong to the current session.
        // Its person must be the one signed in, and it must have been issued since that sign-in: an old ID Token of
        // theirs (from a session long ended) in a cross-site link does not sign them out unasked.
        boolean hintMatches = session.isPresent() && hinted.map(h -> session.get().subject().equals(h.subject())
                && h.issuedAt() >= session.get().authTime().getEpochSecond()).orElse(false);
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
                         @FormParam("id_token_hint") String hint, @FormParam("client_id") String clientId,
                         @FormParam("post_logout_redirect_uri") String redirect, @FormParam("state") String state,
                         @Context HttpHeaders headers,
                         @CookieParam(BrowserDelivery.COOKIE) String refreshCookie, @HeaderParam("Origin") String origin) {
        if (formToken == null) {
            // RP-Initiated Logout §2: the OP MUST accept the request by POST too. A client's cross-site form post does
            // not carry the SameSite=Lax session cookie, so it is answered with the same request as a GET, which does.
            return Response.seeOther(asGet("id_token_hint", hint, "client_id", clientId,
                            "post_logout_redirect_uri", redirect, "state", state))
                    .header("Cache-Control", "no-store").build();
        }
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

    /** This endpoint's GET with the parameters given as name, value, ... (null values left out). */
    private static URI asGet(String... namesAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                query.append(query.isEmpty() ? "?" : "&").append(namesAndValues[i]).append('=')
                        .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
            }
        }
        return URI.create("/oauth2/logout" + query);
    }

    private Response logout(Optional<SessionStore.LoginSession> session, String target) {
        session.ifPresent(s -> {
            String reference = SessionStore.reference(s.id());
            refreshTokens.revokeSession(reference);
            sessions.delete(s.id());
            // Once more after the session is gone: a code redeemed meanwhile may have indexed a family the first pass
            // found unwritten; a redemption that checks the session after this deletion ends its family itself.
            refreshTokens.revokeSession(reference);
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
}
