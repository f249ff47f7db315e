package io.authsuite.auth.token;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.keys.TokenSigner;
import io.authsuite.auth.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/** OpenID Connect ID tokens (OIDC Core §2): who signed in, for the client that asked. */
@ApplicationScoped
public class IdTokenIssuer {

    private final TokenSigner signer;
    private final AuthConfig config;

    public IdTokenIssuer(TokenSigner signer, AuthConfig config) {
        this.signer = signer;
        this.config = config;
    }

    public String issue(User user, String clientId, Set<String> scopes, long authTime, String nonce) {
        long now = Instant.now().getEpochSecond();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(user.subject());
        // OIDC Core §2: aud MUST contain the client_id of the Relying Party.
        claims.setAudience(clientId);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + config.idToken().ttl().toSeconds()));
        claims.setClaim("auth_time", authTime);
        claims.setClaim("azp", clientId);
        // No at_hash: OIDC Core §3.1.3.6 makes it OPTIONAL for the code flow, whose tokens come from the token endpoint
        // over TLS, and this server has no implicit or hybrid flow.
        if (nonce != null) {
            // OIDC Core §3.1.3.6: the nonce of the authentication request is passed through unchanged.
            claims.setClaim("nonce", nonce);
        }
        // OIDC Core §5.4: profile and email claims only for the scopes that ask for them; §5.3.2: a claim without a
        // value is left out, never sent as an empty string.
        if (scopes.contains("profile")) {
            if (user.name() != null && !user.name().isBlank()) {
                claims.setClaim("name", user.name());
            }
            claims.setClaim("preferred_username", user.username());
        }
        if (scopes.contains("email") && user.email() != null && !user.email().isBlank()) {
            claims.setClaim("email", user.email());
        }
        return signer.sign(claims, "JWT");
    }
}
