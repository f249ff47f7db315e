package io.authsuite.auth.token.grant;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.authsuite.auth.dpop.TokenRequestProofs;
import io.authsuite.dpop.DpopRefusal;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.store.RefreshTokenStore.Rotation;
import io.authsuite.auth.token.AccessTokenIssuer;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.GrantHandler;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.authsuite.auth.token.SingleUseSpend;
import io.authsuite.auth.token.TokenResponse;
import io.authsuite.auth.token.UserTokens;
import io.authsuite.auth.users.User;
import io.authsuite.auth.users.UserStore;
import io.authsuite.redis.DurableWrites;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
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
    private final AuditLog audit;
    private final ScopePolicy policy;

    private final boolean retryMaySucceed;

    public RefreshTokenGrant(RefreshTokenStore store, UserStore users, UserTokens tokens, ScopePolicy policy,
                             AuditLog audit, io.authsuite.auth.config.AuthConfig config) {
        this.audit = audit;
        this.retryMaySucceed = !config.refreshToken().reuseGrace().isZero();
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
    public Uni<TokenResponse> handle(FormParameters request, RegisteredClient client, DpopKey key) {
        return handle(request, client, key, SingleUseSpend.unwatched());
    }

    @Override
    public Uni<TokenResponse> handle(FormParameters request, RegisteredClient client, DpopKey key,
                                     SingleUseSpend spend) {
        String refreshToken = request.require("refresh_token");
        String requestedScope = request.get("scope").orElse(null);
        // Every check of the request comes before the rotation, so that a bad request costs no refresh token.
        Set<String> targets = policy.targets(client, request.all("resource"));
        // The family's scope is read up front only when the request narrows or targets it (one Redis round trip).
        boolean reshaped = requestedScope != null || !targets.isEmpty();
        Uni<java.util.Optional<RefreshTokenStore.Peek>> peeked = reshaped ? store.peek(refreshToken, client.id())
                : Uni.createFrom().item(java.util.Optional.empty());
        return peeked.chain(peek -> {
            // RFC 6749 §6: the requested scope is compared only with a grant this client holds and could refresh;
            // another client's token, a revoked or expired one, or one bound to a key this request did not prove
            // gets the rotation's invalid_grant, and a consumed one is still reuse (RFC 9700 §4.14.2).
            RefreshTokenStore.Peek usable = peek.filter(p -> p.jkt().isEmpty() || p.jkt().equals(key.jkt()))
                    .orElse(null);
            Set<String> scopes = null;
            if (usable != null) {
                try {
                    scopes = reshape(client, ScopePolicy.parse(usable.scope()), requestedScope, targets);
                } catch (OAuthError refused) {
                    if (!usable.consumed()) {
                        throw refused;
                    }
                }
            }
            // A consumed token in a request its first use could not have been is no retry of it: reuse, grace or not.
            boolean noGrace = reshaped && scopes == null;
            Set<String> reshapedScopes = scopes;
            // RFC 9700 §4.14.2: refresh tokens are rotated on every use; RFC 6749 §6: bound to the client.
            // The new access token's jti is recorded in the family by the rotation itself: one round trip.
            AccessTokenIssuer.Ticket ticket = tokens.ticket();
            if (!retryMaySucceed) {
                spend.sending();
            }
            return store.rotate(refreshToken, client.id(), ticket.jti(), ticket.expiresAt().getEpochSecond(), key.jkt(),
                            UserTokens.familyKey(client, key), client.revokedBefore(), users.forTokens(), noGrace)
                    .invoke(rotation -> {
                        if (!retryMaySucceed) {
                            spend.spent();
                        }
                    })
                    .onFailure(DurableWrites.NotReplicatedException.class).transform(e -> retryMaySucceed ? e
                            // The token is consumed on the primary; without a reuse grace a retry with it is reuse
                            // (RFC 9700 §4.14.2) and revokes the grant: no Retry-After to invite one.
                            : new OAuthError(503, "temporarily_unavailable", "the refresh token was used, but its "
                                    + "successor could not be stored safely; start a new sign-in", Map.of()))
                    .chain(rotation -> switch (rotation) {
                        case Rotation.Reused reused -> {
                            // RFC 9700 §4.14.2: reuse means a copy was stolen; the family is revoked (the store did).
                            audit.failure(AuditTypes.REFRESH_REUSE, reused.subject(), client.id(),
                                    "a consumed refresh token was presented again; its family is revoked",
                                    Map.of("family", reused.familyId()));
                            yield Uni.createFrom().failure(OAuthError.invalidGrant(
                                    "the refresh token was already used; the grant is revoked"));
                        }
                        // RFC 9449 §5: a refresh token bound to a DPoP key needs a proof of that key.
                        case Rotation.Refused refused when refused.reason().equals("wrong_key") -> Uni.createFrom()
                                .failure(key.bound()
                                        ? OAuthError.invalidGrant("the refresh token is bound to another DPoP key")
                                        : TokenRequestProofs.error(new DpopRefusal(DpopRefusal.INVALID_PROOF,
                                                "the refresh token is bound to a DPoP key: send a proof of it")));
                        case Rotation.Refused refused when refused.reason().equals("exhausted") -> Uni.createFrom()
                                .failure(OAuthError.invalidGrant("the grant has been refreshed as often as it may be; "
                                        + "sign in again"));
                        case Rotation.Refused refused -> Uni.createFrom().failure(
                                OAuthError.invalidGrant("the refresh token is invalid, expired or revoked"));
                        case Rotation.Rotated rotated -> {
                            audit.success(AuditTypes.REFRESH_ROTATED, rotated.family().subject(), client.id(),
                                    Map.of("family", rotated.family().id()));
                            yield respond(client, rotated, reshapedScopes, ticket, key);
                        }
                    });
        });
    }

    /** The scopes of a refresh that narrows the scope or names resources (RFC 8707), checked against the family's. */
    private Set<String> reshape(RegisteredClient client, Set<String> original, String requestedScope,
                                Set<String> targets) {
        Set<String> narrowed = null;
        if (requestedScope != null) {
            Set<String> requested = ScopePolicy.parse(requestedScope);
            if (!original.containsAll(requested)) {
                // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted.
                throw OAuthError.invalidScope("a refresh may narrow the scope, never widen it");
            }
            narrowed = new TreeSet<>(requested);
        }
        Set<String> reshaped = policy.stillAllowed(client,
                policy.restrict(narrowed != null ? narrowed : original, targets));
        // The access token must name an audience (RFC 9068 §2.2): a scope like "profile" alone has none. Refused here,
        // before the rotation spends the token.
        policy.audiences(client, reshaped);
        return reshaped;
    }

    private Uni<TokenResponse> respond(RegisteredClient client, Rotation.Rotated rotated, Set<String> reshapedScopes,
                                       AccessTokenIssuer.Ticket ticket, DpopKey key) {
        RefreshTokenStore.Family family = rotated.family();
        // The rotation brought the user along on one server or behind Sentinels; on Redis Cluster it is a second read.
        Uni<java.util.Optional<User>> lookup = rotated.user() != null
                ? Uni.createFrom().item(users.fromFields(family.subject(), rotated.user()))
                : users.bySubjectAsync(family.subject());
        return lookup.chain(found -> {
            User user = found.filter(u -> !u.disabled()).orElse(null);
            if (user == null) {
                // Rare: revoking the family blocks, so it runs on a worker.
                return GrantHandler.blocking(() -> {
                    store.revokeFamily(family.id());
                    throw OAuthError.invalidGrant("the user is no longer active");
                });
            }
            Set<String> grantScopes = ScopePolicy.parse(family.scope());
            // A scope the client may no longer obtain (its registration narrowed since the sign-in) is not issued
            // again on the grant: RFC 6749 §6 bounds a refresh by the original grant, and the client's registration
            // bounds every grant (§3.3).
            java.util.Optional<Set<String>> left = policy.stillGrantable(client,
                    reshapedScopes != null ? reshapedScopes : grantScopes);
            if (left.isEmpty()) {
                // RFC 6749 §5.2 invalid_grant: nothing of the grant is left to the client. The token is spent, so the
                // family is revoked rather than left behind it: a retry hears "revoked", not "reused".
                return GrantHandler.blocking(() -> {
                    store.revokeFamily(family.id());
                    throw OAuthError.invalidGrant("the client's registration no longer covers this grant; sign in "
                            + "again");
                });
            }
            Set<String> accessScopes = left.get();
            return Uni.createFrom().item(() -> tokens.respond(GRANT_TYPE, client, user, grantScopes,
                    accessScopes, family.id(), rotated.token(), family.authTime(), null, key, ticket, true));
        });
    }
}
