package io.authsuite.auth.token;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.authsuite.auth.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/**
 * Builds the token response of a grant made by a person: an access token with the person's roles, the refresh
 * token of the grant's family, and an ID token when {@code openid} was granted.
 */
@ApplicationScoped
public class UserTokens {

    private final ScopePolicy scopePolicy;
    private final AccessTokenIssuer accessTokens;
    private final IdTokenIssuer idTokens;
    private final TokenMetrics metrics;

    private final io.authsuite.auth.store.RefreshTokenStore refreshTokens;
    private final AuditLog audit;

    public UserTokens(ScopePolicy scopes, AccessTokenIssuer accessTokens, IdTokenIssuer idTokens, TokenMetrics metrics,
                      io.authsuite.auth.store.RefreshTokenStore refreshTokens, AuditLog audit) {
        this.audit = audit;
        this.refreshTokens = refreshTokens;
        this.scopePolicy = scopes;
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
        this.metrics = metrics;
    }

    /**
     * @param grantScopes  scopes of the whole grant, which the id_token's claims follow
     * @param accessScopes scopes of this access token: the grant's, or fewer when the request narrowed the scope or
     *                     named RFC 8707 resources ({@link ScopePolicy#restrict})
     * @param refreshToken the refresh token to return, or null
     * @param nonce        the authentication request's nonce, only on the code exchange
     * @param key          the DPoP key the request proved: the access token is bound to it
     */
    public TokenResponse respond(String grantType, RegisteredClient client, User user, Set<String> grantScopes,
                                 Set<String> accessScopes, String familyId, String refreshToken, long authTime,
                                 String nonce, DpopKey key) {
        return respond(grantType, client, user, grantScopes, accessScopes, familyId, refreshToken, authTime, nonce,
                key, accessTokens.ticket(), false);
    }

    /** A ticket for the access token of a grant that records it in its family itself ({@code recorded}). */
    public AccessTokenIssuer.Ticket ticket() {
        return accessTokens.ticket();
    }

    public TokenResponse respond(String grantType, RegisteredClient client, User user, Set<String> grantScopes,
                                 Set<String> accessScopes, String familyId, String refreshToken, long authTime,
                                 String nonce, DpopKey key, AccessTokenIssuer.Ticket ticket, boolean recorded) {
        Set<String> granted = new java.util.TreeSet<>(accessScopes);
        Set<String> audiences = scopePolicy.audiences(client, granted);
        Map<String, Object> claims = new java.util.HashMap<>(key.confirmation());
        claims.put("groups", user.roles());
        if (authTime > 0) {
            // RFC 9068 §2.2.1: when the person signed in, so that an API can ask for a fresh sign-in (RFC 9470).
            claims.put("auth_time", authTime);
        }
        AccessTokenIssuer.IssuedToken access = accessTokens.issue(user.subject(), client.id(), audiences, granted,
                claims, ticket);
        if (familyId != null && !recorded) {
            // Revoking the grant (reuse, logout, code replay) must reach its access tokens too.
            refreshTokens.recordAccessToken(familyId, access.jti(), access.expiresAt().getEpochSecond());
        }
        // OIDC Core §12.2: a refresh response "might not contain an id_token"; leaving it out halves the signing
        // work of a refresh, the hot path of long sessions. Sign-ins (code and device grants) always get one.
        boolean signIn = !grantType.equals("refresh_token");
        // The id_token describes the sign-in, so its claims follow the whole grant, not an RFC 8707 restriction.
        String idToken = signIn && grantScopes.contains("openid")
                ? idTokens.issue(user, client.id(), new java.util.TreeSet<>(grantScopes), authTime, nonce) : null;
        metrics.issued(grantType, client.id());
        audit.tokenIssued(grantType, client.id(), user.subject(), granted, access.jti(), key.bound());
        return new TokenResponse(access.value(), key.tokenType(), access.expiresIn(), String.join(" ", granted),
                refreshToken, idToken);
    }

    /**
     * The key a new refresh-token family is bound to: RFC 9449 §5, a public client's refresh tokens are bound to the
     * DPoP key of the request that started the grant (a confidential client's are bound to its authentication).
     */
    public static String familyKey(RegisteredClient client, DpopKey key) {
        return client.isPublic() ? key.jkt() : null;
    }

    /**
     * The person as they are once their new family holds its first access token: the roles the token will carry.
     * A change of roles that read the person's families before this one was indexed, or before its access token
     * joined it, denied nothing of it (TokenRevocation#rolesChanged); it was stored before that read, so this read
     * sees the new roles. A person disabled meanwhile ends the family.
     */
    public static User rereadAfterStart(io.authsuite.auth.users.UserStore users, User read,
                                        io.authsuite.auth.store.RefreshTokenStore refreshTokens, String familyId) {
        java.util.Optional<User> now = users.bySubject(read.subject()).filter(u -> !u.disabled());
        if (now.isEmpty()) {
            refreshTokens.revokeFamily(familyId);
            throw OAuthError.invalidGrant("the user is no longer active");
        }
        return now.get();
    }

    /**
     * For a grant whose client gets no refresh token: records the access token under the person before it is signed,
     * then looks at the person again, as a grant with a family does once the family holds the token. "Log out
     * everywhere" withdraws the grants before it reads these records, and a change of roles stores the roles before
     * it does: so either that reads this token, or {@code withdrawn} or the new roles are seen here (RFC 6749 §10.5).
     */
    public static User recordOutsideFamilies(io.authsuite.auth.users.UserStore users, User read,
                                             io.authsuite.auth.store.RevocationStore revocations,
                                             AccessTokenIssuer.Ticket ticket, java.util.function.BooleanSupplier withdrawn,
                                             java.util.function.Supplier<OAuthError> refusal) {
        revocations.recordAccessTokenOutsideFamilies(read.subject(), ticket.jti(), ticket.expiresAt().getEpochSecond());
        if (withdrawn.getAsBoolean()) {
            throw refusal.get();
        }
        return users.bySubject(read.subject()).filter(u -> !u.disabled())
                .orElseThrow(() -> OAuthError.invalidGrant("the user is no longer active"));
    }

    /** Whether this client gets refresh tokens at all. */
    public static boolean issuesRefreshTokens(RegisteredClient client) {
        return client.mayUse("refresh_token");
    }
}
