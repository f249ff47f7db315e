package io.authsuite.auth.authorize;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** What makes an authorization request valid: authorization code with PKCE S256 only. */
@ApplicationScoped
public class AuthorizationRequests {

    private static final Logger LOG = Logger.getLogger(AuthorizationRequests.class);

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
    static final Set<String> SIGN_IN_PROMPTS = Set.of("login", "select_account");

    private final ClientRegistry clients;
    private final ScopePolicy scopes;
    private final IdTokenHints idTokenHints;
    private final boolean pushedOnly;
    private final boolean signedOnly;

    public AuthorizationRequests(ClientRegistry clients, ScopePolicy scopes, IdTokenHints idTokenHints,
                                 io.authsuite.auth.config.AuthConfig config) {
        this.clients = clients;
        this.idTokenHints = idTokenHints;
        this.scopes = scopes;
        this.pushedOnly = config.authorizationCode().requirePushedRequests();
        this.signedOnly = config.authorizationCode().requireSignedRequests();
    }

    /**
     * Whether {@code request} may be used only if it was pushed first: the server requires it of everyone (RFC 9126
     * §5), or its client was registered with {@code require_pushed_authorization_requests} (§6).
     */
    public boolean mustBePushed(AuthorizationRequest request) {
        return pushedOnly || clients.find(request.clientId()).map(RegisteredClient::pushedOnly).orElse(false);
    }

    /**
     * Whether {@code request} may be used only if it came as a request object its client signed: the server requires
     * it of everyone, or the client was registered with {@code require_signed_request_object} (RFC 9101 §10.5).
     */
    public boolean mustBeSigned(AuthorizationRequest request) {
        return clients.find(request.clientId()).map(this::mustBeSigned).orElse(signedOnly);
    }

    /** {@link #mustBeSigned(AuthorizationRequest)} for a client known already, as at the pushed request endpoint. */
    public boolean mustBeSigned(RegisteredClient client) {
        return signedOnly || client.signedRequestsOnly();
    }

    /** With signed requests required of everyone, names the clients that can no longer sign in anyone. */
    void warnOfKeylessClients(@Observes StartupEvent event) {
        if (!signedOnly) {
            return;
        }
        List<String> keyless = clients.all().values().stream()
                .filter(c -> c.mayUse("authorization_code") && c.jwks().isEmpty()).map(RegisteredClient::id).sorted()
                .toList();
        if (!keyless.isEmpty()) {
            LOG.warnf("auth.authorization-code.require-signed-requests: %d client(s) with the authorization code grant "
                    + "have no registered keys to sign requests with, and their sign-ins will be refused: %s",
                    keyless.size(), String.join(", ", keyless));
        }
    }

    /** Why a request that was not a signed request object is refused, for {@code clientId}. */
    public String unsignedRefusal(String clientId) {
        boolean keys = clients.find(clientId).map(c -> !c.jwks().isEmpty()).orElse(false);
        String rule = signedOnly ? "this server accepts authorization requests only as request objects signed by "
                + "their client" : "this client's authorization requests are accepted only as request objects it signs";
        return rule + " (RFC 9101)" + (keys ? "" : "; this client has no registered keys to sign with");
    }

    /**
     * Checks an authorization request, in the order of RFC 6749 §4.1.2.1: client and redirect URI first (errors for a
     * page), then everything else (errors for the client's redirect URI). The authorization endpoint and the pushed
     * authorization request endpoint (RFC 9126 §2.1: "validate the pushed request as it would an authorization
     * request") check with this one method.
     */
    public AuthorizationRequest validate(FormParameters params) {
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
        if (state != null && state.length() > 2048) {
            // RFC 6749 §4.1.2.1: an error redirect MUST carry the exact state, and this one would make a Location
            // header proxies refuse; a page, as for a redirect URI this server will not send to.
            throw AuthorizeError.page("state is too long (at most 2048 characters)");
        }
        AuthorizationRequest partial = new AuthorizationRequest(clientId, redirectUri, Set.of(), state, null, null, "", -1, 0, null,
                null);

        String responseType = params.get("response_type").orElseThrow(() ->
                AuthorizeError.redirect("invalid_request", "response_type is missing", partial));
        if (!responseType.equals("code")) {
            // RFC 9700 §2.1.2: the implicit grant (and hybrid flows issuing tokens here) are not supported.
            throw AuthorizeError.redirect("unsupported_response_type", "only response_type=code is supported", partial);
        }
        String responseMode = params.get("response_mode").orElse("query");
        if (!responseMode.equals("query")) {
            // OAuth 2.0 Multiple Response Type Encoding Practices §2.1: a client that asked for form_post, fragment or a
            // JWT expects the answer there; refused rather than ignored, and on a page (OpenID Foundation errata
            // #977: HTTP 400), since sending it in a query string is what the client asked not to happen.
            throw AuthorizeError.page("response_mode is not supported: only query (the default for response_type=code)");
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
            // RFC 8707 §2.1: resources named here restrict the whole grant; an unknown one is invalid_target.
            Set<String> targets = scopes.targets(client, params.all("resource"));
            granted = scopes.forResources(scopes.allowed(client, params.get("scope").orElse(null)), targets,
                    params.get("scope").isPresent());
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
        if (params.get("request").isPresent()) {
            // A request object's claims replace it before this check (RequestObjects); one inside is refused there.
            throw AuthorizeError.redirect("invalid_request_object", "a request object cannot hold another", partial);
        }
        if (params.get("request_uri").isPresent()) {
            // OIDC Core §6.2: request objects fetched from the client's URL are not supported (only pushed ones).
            throw AuthorizeError.redirect("request_uri_not_supported", "request_uri must be one that /oauth2/par "
                    + "returned", partial);
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
        String hintSubject = null;
        if (params.get("id_token_hint").isPresent()) {
            // OIDC Core §3.1.2.1: the hint names the person the client expects; one this server did not issue to this
            // client names nobody, and is refused rather than ignored, so the client learns its hint was not used.
            hintSubject = idTokenHints.parse(params.get("id_token_hint").get(), clientId)
                    .map(IdTokenHints.Hint::subject)
                    .orElseThrow(() -> AuthorizeError.redirect("invalid_request",
                            "id_token_hint is not an ID Token this server issued to this client", partial));
        }
        return new AuthorizationRequest(clientId, redirectUri, granted, state, challenge, nonce, prompt, maxAge,
                authenticatedSince, dpopJkt, hintSubject);
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
}
