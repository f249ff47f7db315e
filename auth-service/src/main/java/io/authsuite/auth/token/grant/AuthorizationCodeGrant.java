package io.authsuite.auth.token.grant;

import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.authsuite.auth.store.AuthorizationCodeStore;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.store.RevocationStore;
import io.authsuite.auth.store.SessionStore;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The authorization code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.6). */
@ApplicationScoped
public class AuthorizationCodeGrant implements GrantHandler {

    public static final String GRANT_TYPE = "authorization_code";

    /** RFC 7636 §4.1: code_verifier = 43*128unreserved. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final AuthorizationCodeStore codes;
    private final RefreshTokenStore refreshTokens;
    private final UserStore users;
    private final UserTokens tokens;
    private final ScopePolicy policy;
    private final RevocationStore revocations;
    private final SessionStore sessions;

    public AuthorizationCodeGrant(AuthorizationCodeStore codes, RefreshTokenStore refreshTokens, UserStore users,
                                  UserTokens tokens, ScopePolicy policy, RevocationStore revocations,
                                  SessionStore sessions) {
        this.codes = codes;
        this.sessions = sessions;
        this.revocations = revocations;
        this.policy = policy;
        this.refreshTokens = refreshTokens;
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
        // A sign-in, not the hot path: the code, session and user stores block.
        return GrantHandler.blocking(() -> exchange(request, client, key, spend));
    }

    private TokenResponse exchange(FormParameters request, RegisteredClient client, DpopKey key,
                                   SingleUseSpend spend) {
        String code = request.require("code");
        String redirectUri = request.get("redirect_uri").orElse(null);
        String verifier = request.get("code_verifier").orElse(null);
        // Unknown resources are refused before the code is spent: a mistyped URI does not cost the sign-in.
        Set<String> targets = policy.targets(client, request.all("resource"));
        if (!targets.isEmpty()) {
            // RFC 8707 §2 invalid_target for a resource the grant does not cover, also before the code is spent. Only
            // a request that passes every check of the redemption is told: any other goes on to spend the code as
            // before, so a stolen code cannot be probed (its PKCE verifier least of all) without being used up.
            codes.peek(code).filter(grant -> redeemableBy(grant, client, redirectUri, verifier, key))
                    .ifPresent(grant -> policy.restrict(grant.scopes(), targets));
        }

        spend.sending();
        AuthorizationCodeStore.Redemption redemption = codes.redeem(code);
        spend.spent();
        if (redemption.replayed()) {
            // RFC 6749 §4.1.2: a code used twice is refused, and the tokens issued from it are revoked, the access
            // token too: a client without refresh tokens has nothing else to revoke.
            redemption.replayedIssue().ifPresent(issued -> {
                if (issued.familyId() != null) {
                    refreshTokens.revokeFamily(issued.familyId());
                }
                if (issued.accessJti() != null) {
                    revocations.denyToken(issued.accessJti(), issued.accessExp());
                }
            });
            throw OAuthError.invalidGrant("the authorization code was already used");
        }
        AuthorizationCodeStore.CodeGrant grant = redemption.grant()
                .orElseThrow(() -> OAuthError.invalidGrant("the authorization code is invalid or expired"));
        checkRedeemer(grant, client, redirectUri, verifier, key);
        if (grant.issuedAtMillis() <= client.revokedBefore()) {
            // RFC 6749 §5.2 invalid_grant: the code was issued before the client was disabled (or re-created), and a
            // disable ends the client's grants; enabling it again brings none back.
            throw OAuthError.invalidGrant("the authorization ended when the client was disabled; start again");
        }
        User user = users.bySubject(grant.subject()).filter(u -> !u.disabled())
                .orElseThrow(() -> OAuthError.invalidGrant("the user is no longer active"));
        if (revocations.isGrantWithdrawn(user.subject(), grant.issuedAtMillis())) {
            // RFC 6749 §4.1.2 / §10.5: a code must not outlive the person's "log out everywhere" or a password reset.
            throw OAuthError.invalidGrant("the authorization was withdrawn; sign in again");
        }
        if (!sessionLive(grant)) {
            // OpenID Connect RP-Initiated Logout §2: the sign-in the code came from has ended; its grants end with it.
            throw OAuthError.invalidGrant("the sign-in this code came from has ended; sign in again");
        }

        // RFC 6749 §3.3: the registration bounds every token, so one narrowed since the approval bounds this grant.
        Set<String> grantScopes = policy.stillGrantable(client, grant.scopes()).orElseThrow(() ->
                OAuthError.invalidGrant("the client may no longer be granted what was approved; start again"));
        // Refused before a refresh-token family is started for tokens that would never be handed out.
        Set<String> accessScopes = policy.restrict(grantScopes, targets);
        String refreshToken = null;
        String familyId = null;
        AccessTokenIssuer.Ticket ticket = tokens.ticket();
        if (UserTokens.issuesRefreshTokens(client)) {
            // The access token joins its family as the family is written, so that a revocation of the family can
            // never fall between the two (RefreshTokenStore#start).
            RefreshTokenStore.Rotation.Rotated started = refreshTokens.start(client.id(), user.subject(),
                    String.join(" ", grantScopes), grant.sessionRef(), grant.authTime(),
                    UserTokens.familyKey(client, key), ticket.jti(), ticket.expiresAt().getEpochSecond());
            familyId = started.family().id();
            refreshToken = started.token();
            if (revocations.isGrantWithdrawn(user.subject(), grant.issuedAtMillis())) {
                // Withdrawn while the family was being started: "log out everywhere" may have read the person's
                // families before this one was indexed, so it ends here (RFC 6749 §10.5, as the check above).
                refreshTokens.revokeFamily(familyId);
                throw OAuthError.invalidGrant("the authorization was withdrawn; sign in again");
            }
            if (!sessionLive(grant)) {
                // Logged out while the family was being started (RefreshTokenStore#revokeSession): ended here.
                refreshTokens.revokeFamily(familyId);
                throw OAuthError.invalidGrant("the sign-in this code came from has ended; sign in again");
            }
            user = UserTokens.rereadAfterStart(users, user, refreshTokens, familyId);
        } else {
            AuthorizationCodeStore.CodeGrant redeemed = grant;
            user = UserTokens.recordOutsideFamilies(users, user, revocations, ticket,
                    () -> revocations.isGrantWithdrawn(redeemed.subject(), redeemed.issuedAtMillis()),
                    () -> OAuthError.invalidGrant("the authorization was withdrawn; sign in again"));
        }
        boolean recorded;
        try {
            recorded = codes.recordIssued(code, new AuthorizationCodeStore.Issued(familyId, ticket.jti(),
                    ticket.expiresAt().getEpochSecond()));
        } catch (DurableWrites.NotReplicatedException e) {
            // The code is spent and a retry would be a replay: no Retry-After, the client starts again.
            throw new OAuthError(503, "temporarily_unavailable", "the authorization code was used, but the tokens "
                    + "could not be stored safely; start the authorization again", Map.of());
        }
        if (!recorded) {
            // RFC 6749 §4.1.2: the code was used again while this redemption was under way; that use found nothing
            // recorded to revoke, so this one revokes what it issued (the family; the access token is not yet signed).
            if (familyId != null) {
                refreshTokens.revokeFamily(familyId);
            }
            throw OAuthError.invalidGrant("the authorization code was already used");
        }
        return tokens.respond(GRANT_TYPE, client, user, grantScopes, accessScopes, familyId, refreshToken,
                grant.authTime(), grant.nonce(), key, ticket, true);
    }

    /** Whether the login session the code was granted from still exists; a code from none (older records) passes. */
    private boolean sessionLive(AuthorizationCodeStore.CodeGrant grant) {
        return grant.sessionRef() == null || grant.sessionRef().isEmpty() || sessions.isLive(grant.sessionRef());
    }

    private static void checkRedeemer(AuthorizationCodeStore.CodeGrant grant, RegisteredClient client,
                                      String redirectUri, String verifier, DpopKey key) {
        if (!grant.clientId().equals(client.id())) {
            // RFC 6749 §4.1.3: the code must have been issued to the authenticated client.
            throw OAuthError.invalidGrant("the authorization code was issued to another client");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            // RFC 6749 §4.1.3: redirect_uri must be identical to the one of the authorization request.
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request");
        }
        checkPkce(grant.codeChallenge(), verifier);
        if (grant.dpopJkt() != null && !(key.bound() && grant.dpopJkt().equals(key.jkt()))) {
            // RFC 9449 §10: a code bound with dpop_jkt is redeemed only with a proof of that very key.
            throw OAuthError.invalidGrant("the authorization code is bound to another DPoP key (dpop_jkt)");
        }
    }

    private static boolean redeemableBy(AuthorizationCodeStore.CodeGrant grant, RegisteredClient client,
                                        String redirectUri, String verifier, DpopKey key) {
        try {
            checkRedeemer(grant, client, redirectUri, verifier, key);
        if (grant.issuedAtMillis() <= client.revokedBefore()) {
            // RFC 6749 §5.2 invalid_grant: the code was issued before the client was disabled (or re-created), and a
            // disable ends the client's grants; enabling it again brings none back.
            throw OAuthError.invalidGrant("the authorization ended when the client was disabled; start again");
        }
            return true;
        } catch (OAuthError refused) {
            return false;
        }
    }

    static void checkPkce(String challenge, String verifier) {
        if (challenge == null) {
            if (verifier != null) {
                // RFC 9700 §4.8.2: a verifier for a request without a challenge signals a PKCE downgrade.
                throw OAuthError.invalidGrant("code_verifier sent for a request without code_challenge");
            }
            throw OAuthError.invalidGrant("the authorization request had no PKCE challenge");
        }
        if (verifier == null) {
            throw OAuthError.invalidGrant("code_verifier is required");
        }
        if (!VERIFIER.matcher(verifier).matches()) {
            throw OAuthError.invalidGrant("code_verifier is malformed");
        }
        byte[] computed = Base64.getUrlEncoder().withoutPadding().encode(sha256(verifier));
        // RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge.
        if (!MessageDigest.isEqual(computed, challenge.getBytes(StandardCharsets.US_ASCII))) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
