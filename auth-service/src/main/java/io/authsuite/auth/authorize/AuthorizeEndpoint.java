package io.authsuite.auth.authorize;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.store.SessionStore;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.authsuite.auth.users.UserStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The authorization endpoint (RFC 6749 §3.1): authorization code with PKCE S256 only. Requests are checked in
 * the order of RFC 6749 §4.1.2.1: client and redirect URI first (errors shown on a page), then everything else
 * (errors sent back to the client). GET and POST are the same request: with POST its parameters are the
 * form-encoded body.
 */
@Path("/oauth2/authorize")
public class AuthorizeEndpoint {

    /**
     * A base64url SHA-256 digest, 43 characters: an S256 code challenge (RFC 7636 §4.2) and a JWK thumbprint for
     * {@code dpop_jkt} (RFC 9449 §10, RFC 7638) alike.
     */
    private static final Pattern SHA256_BASE64URL = Pattern.compile("[A-Za-z0-9_-]{43}");
    /**
     * The {@code prompt} values understood here (OIDC Core §3.1.2.1), as discovery lists them; any other value is
     * {@code invalid_request}, so a client never believes a prompt was honoured that was not.
     */
    public static final List<String> PROMPTS = List.of("none", "login", "consent", "select_account");
    /**
     * Prompts that send the person to the sign-in page even with a session, and that a fresh sign-in satisfies.
     * With one login session per browser, the sign-in page is where the person selects the account to continue
     * with ({@code select_account}).
     */
    private static final Set<String> SIGN_IN_PROMPTS = Set.of("login", "select_account");

    private final ClientRegistry clients;
    private final ScopePolicy scopes;
    private final PendingRequests pending;
    private final SessionStore sessions;
    private final UserStore users;
    private final AuthorizationFlow flow;
    private final Cookies cookies;
    private final Pages pages;

    public AuthorizeEndpoint(ClientRegistry clients, ScopePolicy scopes, PendingRequests pending,
                             SessionStore sessions, UserStore users, AuthorizationFlow flow, Cookies cookies,
                             Pages pages) {
        this.cookies = cookies;
        this.pages = pages;
        this.clients = clients;
        this.scopes = scopes;
        this.pending = pending;
        this.sessions = sessions;
        this.users = users;
        this.flow = flow;
    }

    @GET
    public Response authorize(@Context UriInfo uri, @Context HttpHeaders headers) {
        return authorize(validate(uri.getRequestUri().getRawQuery()), headers);
    }

    /**
     * OIDC Core §3.1.2.1: the authorization endpoint MUST support GET and POST, and a POST carries the parameters
     * form-serialized in its body. They are checked exactly as a GET's (a repeated one, a malformed or non-form
     * body: the error page). A query string on a POST is refused rather than merged or ignored, so that no
     * parameter has two sources. No CSRF token is asked for: the client's own page posts this form across sites
     * by design, and the request only starts a flow that still needs the person's sign-in or session.
     */
    @POST
    public Response authorizeByPost(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body,
                                    @Context UriInfo uri, @Context HttpHeaders headers) {
        String query = uri.getRequestUri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            throw AuthorizeError.page("a POST sends the parameters in the form body, not in the query");
        }
        FormParameters params;
        try {
            params = FormParameters.parse(contentType, body);
        } catch (OAuthError e) {
            throw AuthorizeError.page(e.status(), e.getMessage());
        }
        return authorize(validate(params), headers);
    }

    /**
     * A POST body Quarkus REST cannot even read (a Content-Type that is no media type) gets the error page of any
     * other malformed authorization request, not the JSON of the API endpoints. Without {@code @Consumes} on the
     * POST method the content type is checked here and in {@link FormParameters}, after this class is chosen.
     */
    @ServerExceptionMapper
    public Response unreadable(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status / 100 != 4) {
            org.jboss.logging.Logger.getLogger(AuthorizeEndpoint.class).error("authorization request failed", e);
            return pages.error(500, "The server could not handle the request.").build();
        }
        return pages.error(status, status == 413 ? "the request is too large"
                : "the request must be application/x-www-form-urlencoded").build();
    }

    private Response authorize(AuthorizationRequest request, HttpHeaders headers) {
        String sessionId = cookies.sessionId(headers);
        Optional<SessionStore.LoginSession> session = sessions.find(sessionId)
                .filter(s -> users.bySubject(s.subject()).filter(u -> !u.disabled()).isPresent())
                .filter(s -> s.authTime().getEpochSecond() >= request.authenticatedSince());
        if (session.isEmpty() || SIGN_IN_PROMPTS.stream().anyMatch(request::prompts)) {
            if (request.prompts("none")) {
                // OIDC Core §3.1.2.6: prompt=none must not show a page.
                throw AuthorizeError.redirect("login_required", "the user is not signed in", request);
            }
            // The sign-in about to happen satisfies login and select_account; consent, if asked for, still applies.
            String id = pending.save(request.withoutPrompts(SIGN_IN_PROMPTS));
            return Response.seeOther(URI.create("/login?request=" + id)).header("Cache-Control", "no-store").build();
        }
        return flow.finish(pending.save(request), request, session.get());
    }

    AuthorizationRequest validate(String rawQuery) {
        FormParameters params;
        try {
            params = FormParameters.parse(rawQuery);
        } catch (OAuthError e) {
            // RFC 6749 §3.1: parameters MUST NOT repeat; before the redirect URI is trusted, say so on a page.
            throw AuthorizeError.page(e.getMessage());
        }
        return validate(params);
    }

    AuthorizationRequest validate(FormParameters params) {
        String clientId = params.get("client_id").orElseThrow(() -> AuthorizeError.page("client_id is missing"));
        RegisteredClient client = clients.find(clientId)
                .orElseThrow(() -> AuthorizeError.page("unknown client"));
        String redirectUri = params.get("redirect_uri")
                .orElseThrow(() -> AuthorizeError.page("redirect_uri is missing"));
        // RFC 9700 §4.1.3: redirect URIs are compared exactly; a mismatch is never redirected to (open redirect).
        if (!RedirectUris.matches(client, redirectUri)) {
            throw AuthorizeError.page("redirect_uri is not registered for this client");
        }
        String state = params.get("state").orElse(null);
        AuthorizationRequest partial = new AuthorizationRequest(clientId, redirectUri, Set.of(), state, null, null, "", -1, 0, null);
        if (state != null && state.length() > 2048) {
            throw AuthorizeError.redirect("invalid_request", "state is too long", withoutState(partial));
        }

        String responseType = params.get("response_type").orElseThrow(() ->
                AuthorizeError.redirect("invalid_request", "response_type is missing", partial));
        if (!responseType.equals("code")) {
            // RFC 9700 §2.1.2: the implicit grant (and hybrid flows issuing tokens here) are not supported.
            throw AuthorizeError.redirect("unsupported_response_type", "only response_type=code is supported", partial);
        }
        if (!client.mayUse("authorization_code")) {
            throw AuthorizeError.redirect("unauthorized_client", "the client may not use the authorization code grant", partial);
        }
        String challenge = params.get("code_challenge").orElseThrow(() ->
                // RFC 9700 §2.1.1: PKCE is required for every client here.
                AuthorizeError.redirect("invalid_request", "code_challenge is required (PKCE)", partial));
        String method = params.get("code_challenge_method").orElse("plain");
        if (!method.equals("S256")) {
            // RFC 9700 §2.1.1: plain is not allowed; a missing method means plain (RFC 7636 §4.3).
            throw AuthorizeError.redirect("invalid_request", "code_challenge_method must be S256", partial);
        }
        if (!SHA256_BASE64URL.matcher(challenge).matches()) {
            throw AuthorizeError.redirect("invalid_request", "code_challenge is not an S256 challenge", partial);
        }
        Set<String> granted;
        try {
            granted = scopes.allowed(client, params.get("scope").orElse(null));
            scopes.audiences(client, granted);
        } catch (OAuthError e) {
            throw AuthorizeError.redirect(e.error(), e.getMessage(), partial);
        }
        String nonce = params.get("nonce").orElse(null);
        if (nonce != null && nonce.length() > 512) {
            throw AuthorizeError.redirect("invalid_request", "nonce is too long", partial);
        }
        String prompt = prompt(params.get("prompt").orElse(""), partial);
        long maxAge = -1;
        if (params.get("max_age").isPresent()) {
            try {
                maxAge = Long.parseLong(params.get("max_age").get());
            } catch (NumberFormatException e) {
                maxAge = -2;
            }
            if (maxAge < 0) {
                throw AuthorizeError.redirect("invalid_request", "max_age must be a number of seconds", partial);
            }
        }
        if (params.get("request").isPresent() || params.get("request_uri").isPresent()) {
            // OIDC Core §6: request objects are not supported.
            throw AuthorizeError.redirect("request_not_supported", "request objects are not supported", partial);
        }
        long now = Instant.now().getEpochSecond();
        boolean signIn = java.util.Arrays.stream(prompt.split(" ")).anyMatch(SIGN_IN_PROMPTS::contains);
        long authenticatedSince = signIn ? now : maxAge >= 0 ? now - maxAge : 0;
        String dpopJkt = params.get("dpop_jkt").orElse(null);
        if (dpopJkt != null && !SHA256_BASE64URL.matcher(dpopJkt).matches()) {
            // RFC 9449 §10: dpop_jkt is the JWK SHA-256 thumbprint (RFC 7638) of the proof key, base64url.
            throw AuthorizeError.redirect("invalid_request", "dpop_jkt must be a base64url SHA-256 JWK thumbprint",
                    partial);
        }
        return new AuthorizationRequest(clientId, redirectUri, granted, state, challenge, nonce, prompt, maxAge,
                authenticatedSince, dpopJkt);
    }

    /**
     * OIDC Core §3.1.2.1: {@code prompt} is a space-delimited, case-sensitive list. Returns it without repeats, or
     * empty; an unknown value, an empty one (two spaces) or {@code none} with any other value is invalid_request.
     */
    private static String prompt(String raw, AuthorizationRequest partial) {
        if (raw.isEmpty()) {
            return "";
        }
        Set<String> values = new LinkedHashSet<>();
        for (String value : raw.split(" ", -1)) {
            if (value.isEmpty()) {
                throw AuthorizeError.redirect("invalid_request", "prompt values are separated by single spaces", partial);
            }
            if (!PROMPTS.contains(value)) {
                throw AuthorizeError.redirect("invalid_request", "unsupported prompt value", partial);
            }
            values.add(value);
        }
        if (values.contains("none") && values.size() > 1) {
            // OIDC Core §3.1.2.1: "If this parameter contains none with any other value, an error is returned."
            throw AuthorizeError.redirect("invalid_request", "prompt=none cannot be combined with other values",
                    partial);
        }
        return String.join(" ", values);
    }

    private static AuthorizationRequest withoutState(AuthorizationRequest r) {
        return new AuthorizationRequest(r.clientId(), r.redirectUri(), r.scopes(), null, null, null, "", -1, 0, null);
    }
}
