package io.authsuite.auth.token.grant;

import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.store.RefreshTokenStore.Rotation;
import io.authsuite.auth.token.AccessTokenIssuer;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.GrantHandler;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.authsuite.auth.token.TokenResponse;
import io.authsuite.auth.token.UserTokens;
import io.authsuite.auth.users.User;
import io.authsuite.auth.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.TreeSet;

/**
 * The refresh token grant (RFC 6749 §6) with rotation: every use consumes the token and returns its successor in
 * the same family; presenting a consumed token revokes the family.
 */
@ApplicationScoped
public class RefreshTokenGrant implements GrantHandler {

    public static final String GRANT_TYPE = "refresh_token";

    private final RefreshTokenStore store;
    private final UserStore users;
    private final UserTokens tokens;
    private final ScopePolicy policy;

    public RefreshTokenGrant(RefreshTokenStore store, UserStore users, UserTokens tokens, ScopePolicy policy) {
        this.store = store;
        this.policy = policy;
        this.users = users;
        this.tokens = tokens;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public TokenResponse handle(FormParameters request, RegisteredClient client) {
        String refreshToken = request.require("refresh_token");
        String requestedScope = request.get("scope").orElse(null);
        // Every check of the request comes before the rotation, so that a bad request costs no refresh token.
        Set<String> targets = policy.targets(request.all("resource"));
        // The family's scope is read up front only when the request narrows or targets it (one Redis round trip).
        boolean reshaped = requestedScope != null || !targets.isEmpty();
        Set<String> original = reshaped
                ? store.scopeOf(refreshToken).map(ScopePolicy::parse).orElse(Set.of()) : Set.of();
        if (reshaped && original.isEmpty()) {
            throw OAuthError.invalidGrant("the refresh token is invalid, expired or revoked");
        }
        Set<String> narrowed = null;
        if (requestedScope != null) {
            Set<String> requested = ScopePolicy.parse(requestedScope);
            if (!original.containsAll(requested)) {
                // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted.
                throw OAuthError.invalidScope("a refresh may narrow the scope, never widen it");
            }
            narrowed = new TreeSet<>(requested);
        }
        Set<String> reshapedScopes = null;
        if (reshaped) {
            reshapedScopes = policy.restrict(narrowed != null ? narrowed : original, targets);
            // The access token must name an audience (RFC 9068 §2.2): a scope like "profile" alone has none.
            policy.audiences(client, reshapedScopes);
        }
        // RFC 9700 §4.14.2: refresh tokens are rotated on every use; RFC 6749 §6: bound to the client.
        // The new access token's jti is recorded in the family by the rotation itself: one round trip.
        AccessTokenIssuer.Ticket ticket = tokens.ticket();
        Rotation rotation = store.rotate(refreshToken, client.id(), ticket.jti(), ticket.expiresAt().getEpochSecond());
        return switch (rotation) {
            case Rotation.Reused reused ->
                    throw OAuthError.invalidGrant("the refresh token was already used; the grant is revoked");
            case Rotation.Refused refused ->
                    throw OAuthError.invalidGrant("the refresh token is invalid, expired or revoked");
            case Rotation.Rotated rotated -> {
                RefreshTokenStore.Family family = rotated.family();
                User user = users.bySubject(family.subject()).filter(u -> !u.disabled()).orElse(null);
                if (user == null) {
                    store.revokeFamily(family.id());
                    throw OAuthError.invalidGrant("the user is no longer active");
                }
                Set<String> grantScopes = ScopePolicy.parse(family.scope());
                yield tokens.respond(GRANT_TYPE, client, user, grantScopes,
                        reshapedScopes != null ? reshapedScopes : grantScopes, family.id(), rotated.token(),
                        family.authTime(), null, ticket, true);
            }
        };
    }
}
