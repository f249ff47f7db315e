package io.authsuite.auth.device;

import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.store.RevocationStore;
import io.authsuite.auth.token.AccessTokenIssuer;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.GrantHandler;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.authsuite.auth.token.TokenResponse;
import io.authsuite.auth.token.UserTokens;
import io.authsuite.auth.users.User;
import io.authsuite.auth.users.UserStore;
import io.authsuite.redis.DurableWrites;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/** The device code grant (RFC 8628 §3.4-3.5): the device polls until the person approved or denied. */
@ApplicationScoped
public class DeviceCodeGrant implements GrantHandler {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

    private final DeviceCodeStore store;
    private final UserStore users;
    private final RefreshTokenStore refreshTokens;
    private final UserTokens tokens;
    private final ScopePolicy policy;
    private final RevocationStore revocations;

    public DeviceCodeGrant(DeviceCodeStore store, UserStore users, RefreshTokenStore refreshTokens, UserTokens tokens,
                           ScopePolicy policy, RevocationStore revocations) {
        this.revocations = revocations;
        this.store = store;
        this.policy = policy;
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Uni<TokenResponse> handle(FormParameters request, RegisteredClient client, DpopKey key) {
        // A sign-in, not the hot path: the device-code and user stores block.
        return GrantHandler.blocking(() -> exchange(request, client, key));
    }

    private TokenResponse exchange(FormParameters request, RegisteredClient client, DpopKey key) {
        // Checked before the poll, which may spend the approved device code.
        Set<String> targets = policy.targets(client, request.all("resource"));
        if (!targets.isEmpty()) {
            // RFC 8707 §2 invalid_target for a resource the approval does not cover, before the poll collects it:
            // the device may ask again without the resource instead of sending the person through it again.
            store.approvedScope(request.require("device_code"), client.id())
                    .ifPresent(scope -> policy.restrict(ScopePolicy.parse(scope), targets));
        }
        DeviceCodeStore.Poll poll;
        try {
            poll = store.poll(request.require("device_code"), client.id());
        } catch (DurableWrites.NotReplicatedException e) {
            // The approval is collected; the next poll hears expired_token and starts again. No Retry-After.
            throw new OAuthError(503, "temporarily_unavailable", "the approval was used, but the tokens could not be "
                    + "stored safely; start the device authorization again", Map.of());
        }
        // RFC 8628 §3.5: the error codes tell the device what to do next.
        return switch (poll.status()) {
            case "PENDING" -> throw pollError("authorization_pending", "the user has not yet decided");
            case "SLOW_DOWN" -> throw pollError("slow_down", "polling too fast: wait 5 more seconds between polls");
            case "DENIED" -> throw pollError("access_denied", "the user denied the request");
            case "EXPIRED" -> throw pollError("expired_token", "the device code expired; start again");
            // RFC 8628 §3.5 expired_token: "the device authorization session has concluded", start again.
            case "COLLECTED" -> throw pollError("expired_token", "the device code was used already; start again");
            case "APPROVED" -> issue(client, poll, targets, key);
            default -> throw OAuthError.invalidGrant("the device code is invalid");
        };
    }

    private TokenResponse issue(RegisteredClient client, DeviceCodeStore.Poll poll, Set<String> targets,
                                DpopKey key) {
        User user = users.bySubject(poll.subject()).filter(u -> !u.disabled())
                .orElseThrow(() -> OAuthError.invalidGrant("the user is no longer active"));
        if (revocations.isGrantWithdrawn(user.subject(), poll.decidedAtMillis())) {
            // RFC 8628 §3.5 access_denied: the person withdrew every grant (log out everywhere) after approving.
            throw pollError("access_denied", "the approval was withdrawn");
        }
        if (poll.decidedAtMillis() <= client.revokedBefore()) {
            // RFC 8628 §3.5 access_denied: the approval came before the client was disabled, which ends its grants;
            // enabling it again brings none back.
            throw pollError("access_denied", "the approval ended when the client was disabled; start again");
        }
        // RFC 6749 §3.3: the registration bounds every token, so one narrowed since the approval bounds this grant.
        // RFC 8628 §3.5 access_denied when nothing approved may still be granted to this client.
        Set<String> grantScopes = policy.stillGrantable(client, ScopePolicy.parse(poll.scope())).orElseThrow(() ->
                pollError("access_denied", "the client may no longer be granted what was approved; start again"));
        // Refused before a refresh-token family is started for tokens that would never be handed out.
        Set<String> accessScopes = policy.restrict(grantScopes, targets);
        String refreshToken = null;
        String familyId = null;
        AccessTokenIssuer.Ticket ticket = tokens.ticket();
        if (UserTokens.issuesRefreshTokens(client)) {
            // The access token joins its family as the family is written (RefreshTokenStore#start).
            RefreshTokenStore.Rotation.Rotated started = refreshTokens.start(client.id(), user.subject(),
                    String.join(" ", grantScopes), null, poll.authTime(), UserTokens.familyKey(client, key), ticket.jti(),
                    ticket.expiresAt().getEpochSecond());
            refreshToken = started.token();
            familyId = started.family().id();
            if (revocations.isGrantWithdrawn(user.subject(), poll.decidedAtMillis())) {
                // Withdrawn while the family was being started: "log out everywhere" may have read the person's
                // families before this one was indexed, so it ends here (RFC 8628 §3.5 access_denied, as above).
                refreshTokens.revokeFamily(familyId);
                throw pollError("access_denied", "the approval was withdrawn");
            }
            user = UserTokens.rereadAfterStart(users, user, refreshTokens, familyId);
        } else {
            String subject = user.subject();
            long decidedAt = poll.decidedAtMillis();
            user = UserTokens.recordOutsideFamilies(users, user, revocations, ticket,
                    () -> revocations.isGrantWithdrawn(subject, decidedAt),
                    () -> pollError("access_denied", "the approval was withdrawn"));
        }
        return tokens.respond(GRANT_TYPE, client, user, grantScopes, accessScopes, familyId,
                refreshToken, poll.authTime(), null, key, ticket, true);
    }

    private static OAuthError pollError(String error, String description) {
        return new OAuthError(400, error, description, Map.of());
    }
}
