package io.authsuite.auth.token.grant;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.authsuite.auth.token.AccessTokenIssuer;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.GrantHandler;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.authsuite.auth.token.TokenMetrics;
import io.authsuite.auth.token.TokenResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The client credentials grant (RFC 6749 §4.4): a confidential client obtains a token for itself. */
@ApplicationScoped
public class ClientCredentialsGrant implements GrantHandler {

    public static final String GRANT_TYPE = "client_credentials";

    private final ScopePolicy scopes;
    private final AccessTokenIssuer issuer;
    private final TokenMetrics metrics;
    private final AuditLog audit;

    public ClientCredentialsGrant(ScopePolicy scopes, AccessTokenIssuer issuer, TokenMetrics metrics, AuditLog audit) {
        this.audit = audit;
        this.scopes = scopes;
        this.issuer = issuer;
        this.metrics = metrics;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Uni<TokenResponse> handle(FormParameters request, RegisteredClient client, DpopKey key) {
        // No store to wait for: the token is signed on the event loop (one RS256 signature, a fraction of a ms).
        return Uni.createFrom().item(() -> issue(request, client, key));
    }

    private TokenResponse issue(FormParameters request, RegisteredClient client, DpopKey key) {
        if (client.isPublic()) {
            // RFC 6749 §4.4: the client credentials grant MUST only be used by confidential clients.
            throw OAuthError.unauthorizedClient("a public client cannot use client_credentials");
        }
        ScopePolicy.Grant grant = scopes.decide(client, request.get("scope").orElse(null), request.all("resource"));
        AccessTokenIssuer.IssuedToken token = issuer.issue(client.id(), client.id(), grant.audiences(),
                grant.scopes(), key.confirmation());
        metrics.issued(GRANT_TYPE, client.id());
        audit.tokenIssued(GRANT_TYPE, client.id(), client.id(), grant.scopes(), token.jti(), key.bound());
        // RFC 6749 §4.4.3: a refresh token SHOULD NOT be included.
        return new TokenResponse(token.value(), key.tokenType(), token.expiresIn(), String.join(" ", grant.scopes()),
                null, null);
    }
}
