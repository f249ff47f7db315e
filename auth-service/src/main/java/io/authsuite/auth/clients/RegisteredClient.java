package io.authsuite.auth.clients;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * One registered client, as the rest of the server sees it.
 *
 * @param secretHash {@link ClientSecrets} hash; empty for public clients and for clients that authenticate with keys
 * @param jwks       the public keys of a {@code private_key_jwt} client; empty otherwise
 */
public record RegisteredClient(String id, ClientType type, Optional<String> secretHash, Set<String> grantTypes,
                               Set<String> scopes, Set<String> defaultScopes, Optional<Set<String>> audiences,
                               Set<String> authMethods, List<String> redirectUris, boolean firstParty,
                               List<String> postLogoutRedirectUris, Set<String> allowedOrigins,
                               boolean introspection, Optional<Integer> tokenRequestsPerMinute,
                               boolean nativeApp, List<PublicJsonWebKey> jwks) {

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
