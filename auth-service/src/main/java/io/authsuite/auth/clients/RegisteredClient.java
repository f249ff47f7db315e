package io.authsuite.auth.clients;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * One registered client, as the rest of the server sees it.
 *
 * @param secretHash {@link ClientSecrets} hash; empty for public clients and for clients that authenticate with keys
 * @param jwks       the public keys of a {@code private_key_jwt} client; empty otherwise
 * @param exchange   token exchange on behalf of a person, by target audience; empty when the client may not
 * @param dpopBound  every token request must carry a DPoP proof (RFC 9449 §5.2, {@code dpop_bound_access_tokens})
 */
public record RegisteredClient(String id, ClientType type, Optional<String> secretHash, Set<String> grantTypes,
                               Set<String> scopes, Set<String> defaultScopes, Optional<Set<String>> audiences,
                               Set<String> authMethods, List<String> redirectUris, boolean firstParty,
                               List<String> postLogoutRedirectUris, Set<String> allowedOrigins,
                               boolean introspection, Optional<Integer> tokenRequestsPerMinute,
                               boolean nativeApp, List<PublicJsonWebKey> jwks,
                               Map<String, ExchangePolicy> exchange, boolean dpopBound) {

    /**
     * What the client may obtain at one audience by token exchange (RFC 8693) with a person's token: at most
     * {@code scopes}, when the person's token holds {@code subjectScopes} (or, when that is empty, each of the scopes
     * itself).
     */
    public record ExchangePolicy(Set<String> scopes, Set<String> subjectScopes) {
    }

    /** The audiences a resource-server client stands for: its registered audiences, else its own id. */
    public Set<String> ownAudiences() {
        return audiences.orElse(Set.of(id));
    }

    public enum ClientType { CONFIDENTIAL, PUBLIC }

    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String NONE = "none";
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";

    public boolean isPublic() {
        return type == ClientType.PUBLIC;
    }

    public boolean mayUse(String grantType) {
        return grantTypes.contains(grantType);
    }
}
