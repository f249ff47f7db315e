package io.authsuite.auth.token;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.keys.SigningKey;
import io.authsuite.auth.keys.SigningKeys;
import io.authsuite.auth.users.User;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;

/** OpenID Connect ID tokens (OIDC Core §2): who signed in, for the client that asked. */
@ApplicationScoped
public class IdTokenIssuer {

    private final SigningKeys keys;
    private final AuthConfig config;

    public IdTokenIssuer(SigningKeys keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public String issue(User user, String clientId, Set<String> scopes, long authTime, String nonce) {
        long now = Instant.now().getEpochSecond();
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(config.issuer())
                .subject(user.subject())
                // OIDC Core §2: aud MUST contain the client_id of the Relying Party.
                .audience(clientId)
                .issuedAt(now)
                .expiresAt(now + config.idToken().ttl().toSeconds())
                .claim("auth_time", authTime)
                .claim("azp", clientId);
        if (nonce != null) {
            // OIDC Core §3.1.3.6: the nonce of the authentication request is passed through unchanged.
            claims.claim("nonce", nonce);
        }
        // OIDC Core §5.4: profile and email claims only for the scopes that ask for them.
        if (scopes.contains("profile")) {
            claims.claim("name", user.name()).claim("preferred_username", user.username());
        }
        if (scopes.contains("email")) {
            claims.claim("email", user.email());
        }
        SigningKey key = keys.active();
        return claims.jws().keyId(key.kid()).header("typ", "JWT").sign(key.privateKey());
    }
}
