package io.authsuite.auth.clients;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * One registered client, as the rest of the server sees it.
 *
 * @param secrets    {@link ClientSecrets} hashes, two while a rotation overlaps; empty for public clients and for
 *                   clients that authenticate with keys
 * @param jwks       the public keys of a {@code private_key_jwt} client; empty otherwise
 * @param exchange   token exchange on behalf of a person, by target audience; empty when the client may not
 * @param dpopBound  every token request must carry a DPoP proof (RFC 9449 §5.2, {@code dpop_bound_access_tokens})
 * @param pushedOnly authorization requests only by reference to a pushed one (RFC 9126 §6,
 *                   {@code require_pushed_authorization_requests})
 * @param signedRequestsOnly authorization requests only as request objects the client signed (RFC 9101 §10.5,
 *                   {@code require_signed_request_object})
 * @param revokedBefore epoch millisecond: refresh-token families begun up to it were revoked (the client was
 *                      disabled, or created under the id of a deleted one)
 */
public record RegisteredClient(String id, ClientType type, List<StoredClient.Secret> secrets, Set<String> grantTypes,
                               Set<String> scopes, Set<String> defaultScopes, Optional<Set<String>> audiences,
                               Set<String> authMethods, List<String> redirectUris, boolean firstParty,
                               List<String> postLogoutRedirectUris, Set<String> allowedOrigins,
                               boolean introspection, Optional<Integer> tokenRequestsPerMinute,
                               boolean nativeApp, List<PublicJsonWebKey> jwks,
                               Map<String, ExchangePolicy> exchange, boolean dpopBound, boolean pushedOnly,
                               boolean signedRequestsOnly, long revokedBefore) {

    /**
     * What the client may obtain at one audience by token exchange (RFC 8693) with a person's token: at most
     * {@code scopes}, when the person's token holds {@code subjectScopes} (or, when that is empty, each of the scopes
     * itself).
     */
    public record ExchangePolicy(Set<String> scopes, Set<String> subjectScopes) {
    }

    public enum ClientType { CONFIDENTIAL, PUBLIC }

    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String NONE = "none";
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";

    /** Whether the client authenticates with a secret. */
    public boolean hasSecret() {
        return !secrets.isEmpty();
    }

    /**
     * Whether {@code secret} is one of the client's secrets still valid at {@code now}. Each is compared in constant
     * time, and all of them are, so the time taken says nothing about which one matched.
     */
    public boolean secretMatches(String secret, long now) {
        boolean matched = false;
        for (StoredClient.Secret candidate : secrets) {
            matched |= ClientSecrets.matches(secret, candidate.hash()) & candidate.activeAt(now);
        }
        return matched;
    }

    public boolean isPublic() {
        return type == ClientType.PUBLIC;
    }

    public boolean mayUse(String grantType) {
        return grantTypes.contains(grantType);
    }
}
