package io.authsuite.auth.token;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.store.RevocationStore;
import io.authsuite.auth.store.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** "Log out everywhere": every login session, refresh family and live access token of a person ends now. */
@ApplicationScoped
public class TokenRevocation {

    private final RefreshTokenStore refreshTokens;
    private final RevocationStore revocations;
    private final SessionStore sessions;
    private final AuditLog audit;
    private final AuthConfig config;

    public TokenRevocation(RefreshTokenStore refreshTokens, RevocationStore revocations, SessionStore sessions,
                           AuthConfig config, AuditLog audit) {
        this.audit = audit;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.sessions = sessions;
        this.config = config;
    }

    public void logoutEverywhere(String subject) {
        // The sessions first, so that no new code or device approval is made from one after the withdrawal below.
        sessions.deleteAll(subject);
        // Codes not yet exchanged and approved device codes not yet polled would start new families later. Withdrawn
        // before the families are read: a redemption already past its check looks again once its family is written
        // (AuthorizationCodeGrant, DeviceCodeGrant), so either it sees the withdrawal and revokes its own family, or
        // its family was indexed before the revocation below reads the index.
        revocations.withdrawGrants(subject, longestPendingGrant());
        refreshTokens.revokeSubject(subject);
        // Read after the withdrawal, as the families are: a grant records its token and then looks at the withdrawal.
        revocations.denyAccessTokensOutsideFamilies(subject);
        // Access tokens of the families above are denied one by one; the backstop covers any other token.
        denyEarlierAccessTokens(subject);
        audit.success(AuditTypes.LOGOUT_EVERYWHERE, subject, null, null);
    }

    /**
     * After a change of roles, access tokens that carry the old ones are refused (they are self-contained and would
     * keep the old roles until they expire); refresh tokens stay, and the next refresh reads the new roles.
     */
    public void rolesChanged(String subject) {
        refreshTokens.denyAccessTokensOfSubject(subject);
        revocations.denyAccessTokensOutsideFamilies(subject);
        denyEarlierAccessTokens(subject);
    }

    /**
     * Every access token of the person issued before the last second is refused until it would have expired; iat has
     * one-second resolution, and a sign-in right after this call must not be caught by it.
     */
    public void denyEarlierAccessTokens(String subject) {
        revocations.denySubject(subject, Instant.now().minusSeconds(1), config.accessToken().ttl().toSeconds() + 60);
    }

    private java.time.Duration longestPendingGrant() {
        java.time.Duration longest = config.device().ttl();
        for (java.time.Duration d : java.util.List.of(config.authorizationCode().ttl(),
                config.authorizationCode().requestTtl())) {
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest.plusMinutes(1);
    }
}
