package io.authsuite.auth.authorize;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.AuthorizationCodeStore;
import io.authsuite.auth.store.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end of the browser flow, shared by the authorization endpoint, login and consent: once a person is signed
 * in and has consented, issue the code and send the browser back to the client.
 */
@ApplicationScoped
public class AuthorizationFlow {

    private final ClientRegistry clients;
    private final Consents consents;
    private final PendingRequests pending;
    private final AuthorizationCodeStore codes;
    private final AuthConfig config;
    private final Pages pages;

    public AuthorizationFlow(ClientRegistry clients, Consents consents, PendingRequests pending,
                             AuthorizationCodeStore codes, AuthConfig config, Pages pages) {
        this.pages = pages;
        this.clients = clients;
        this.consents = consents;
        this.pending = pending;
        this.codes = codes;
        this.config = config;
    }

    public Response finish(String requestId, AuthorizationRequest request, SessionStore.LoginSession session) {
        RegisteredClient client = clients.find(request.clientId())
                .orElseThrow(() -> AuthorizeError.page("the client is no longer registered"));
        if (!RedirectUris.matches(client, request.redirectUri())) {
            // Checked before a code is issued, not only in redirect(): a code nobody can receive is not stored.
            throw AuthorizeError.page(REDIRECT_GONE);
        }
        if (session.authTime().getEpochSecond() < request.authenticatedSince()) {
            // OIDC Core §3.1.2.1 (prompt=login, max_age): only a sign-in at or after the demanded time may finish
            // the request, whichever page (login, consent) the browser comes back through.
            return Response.seeOther(URI.create("/login?request=" + requestId)).header("Cache-Control", "no-store")
                    .build();
        }
        if (request.hintSubject() != null && !request.hintSubject().equals(session.subject())) {
            // OIDC Core §3.1.2.1: someone other than the id_token_hint's person signed in: no positive answer. An
            // answer rather than a throw, so that the sign-in page still sets the session of whoever did sign in.
            pending.delete(requestId);
            return redirect(request, Map.of("error", "login_required",
                    "error_description", "the person who signed in is not the one id_token_hint names"));
        }
        // OIDC Core §3.1.2.1 prompt=consent: the person is asked, even where nothing else would ask (a first-party
        // app, a consent given before).
        boolean needsConsent = request.prompts("consent")
                || (!client.firstParty() && !consents.covers(session.subject(), client, request.scopes()));
        if (needsConsent) {
            if (request.prompts("none")) {
                throw AuthorizeError.redirect("consent_required", "the user has not consented", request);
            }
            return Response.seeOther(URI.create("/consent?request=" + requestId)).build();
        }
        pending.delete(requestId);
        String code = codes.issue(new AuthorizationCodeStore.CodeGrant(client.id(), request.redirectUri(),
                request.codeChallenge(), request.nonce(), session.subject(), request.scopes(),
                session.authTime().getEpochSecond(), SessionStore.reference(session.id()),
                // RFC 6749 §10.5: stamped when the session was last seen alive, not now, so that a "log out
                // everywhere" between that read and this write withdraws the code (RevocationStore.withdrawGrants).
                session.aliveAtMillis(), request.dpopJkt()));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        return redirect(request, params);
    }

    static final String REDIRECT_GONE = "the application no longer uses this redirect address";

    /**
     * Sends the browser to the client's validated redirect URI with the given parameters, state and iss; or shows the
     * error page when the client no longer registers that URI. A request waits at sign-in or consent for up to its
     * lifetime, and an address removed meanwhile (a compromised callback) must get nothing more, not even an error:
     * RFC 6749 §3.1.2.3 and RFC 9700 §4.1.3, responses go only to a registered redirect URI.
     */
    public Response redirect(AuthorizationRequest request, Map<String, String> params) {
        if (clients.find(request.clientId()).filter(c -> RedirectUris.matches(c, request.redirectUri())).isEmpty()) {
            return pages.error(400, "invalid_request", REDIRECT_GONE).build();
        }
        Map<String, String> all = new LinkedHashMap<>(params);
        if (request.state() != null) {
            all.put("state", request.state());
        }
        // RFC 9207 §2: the iss parameter lets the client detect mix-up attacks.
        all.put("iss", config.issuer());
        StringBuilder uri = new StringBuilder(request.redirectUri());
        char sep = request.redirectUri().contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : all.entrySet()) {
            uri.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return Response.seeOther(URI.create(uri.toString())).header("Cache-Control", "no-store").build();
    }
}
