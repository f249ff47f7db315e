package io.authsuite.auth.authorize;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * {@code id_token_hint}, at the authorization endpoint (OIDC Core §3.1.2.1) and at logout (RP-Initiated Logout §2): an
 * ID Token this server issued to one of its clients, naming the person the client believes is signed in.
 */
@ApplicationScoped
public class IdTokenHints {

    /** Who the hint names, the client it was issued to, and when ({@code iat}, epoch seconds). */
    public record Hint(String subject, String audience, long issuedAt) {
    }

    private final ClientRegistry clients;
    private final JwtConsumer consumer;
    private final String issuer;

    public IdTokenHints(ClientRegistry clients, SigningKeys keys, AuthConfig config) {
        this.clients = clients;
        this.issuer = config.issuer();
        // Signature only here; the claims are checked in parse() (see there).
        this.consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver((jws, nesting) -> keys.published().stream()
                        .filter(k -> k.kid().equals(jws.getKeyIdHeaderValue())).findFirst()
                        .map(k -> (java.security.Key) k.publicKey())
                        .orElseThrow(() -> new org.jose4j.lang.UnresolvableKeyException("unknown kid")))
                .setSkipAllDefaultValidators()
                .build();
    }

    /**
     * The hint, when {@code hint} is an ID Token this server issued, signed with one of its published keys, to
     * {@code clientId} (to any of its clients when null); else empty. Expiry is not checked: OIDC Core §3.1.2.1 lets
     * an expired ID Token be the hint, as it still names the person.
     */
    public Optional<Hint> parse(String hint, String clientId) {
        if (hint == null || hint.length() > 8192) {
            return Optional.empty();
        }
        try {
            JwtContext context = consumer.process(hint);
            JwtClaims claims = context.getJwtClaims();
            String typ = context.getJoseObjects().get(0).getHeader("typ");
            String aud = audience(claims);
            String sub = subject(claims);
            // The hint must be an ID Token this OP issued (iss; typ JWT, not an at+jwt access token, RFC 9068 §4) to
            // one of its clients, and (RP-Initiated Logout §2 "MUST") to the client that sends it.
            boolean valid = issuer.equals(claims.getIssuer()) && "JWT".equals(typ) && aud != null
                    && clients.find(aud).isPresent() && (clientId == null || clientId.equals(aud)) && sub != null;
            return valid ? Optional.of(new Hint(sub, aud, issuedAt(claims))) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** {@code iat} in epoch seconds, or 0 when absent or malformed (every ID Token this server issues has one). */
    private static long issuedAt(JwtClaims claims) {
        try {
            NumericDate iat = claims.getIssuedAt();
            return iat == null ? 0 : iat.getValue();
        } catch (Exception e) {
            return 0;
        }
    }

    private static String audience(JwtClaims claims) {
        try {
            List<String> aud = claims.getAudience();
            return aud.isEmpty() ? null : aud.get(0);
        } catch (Exception e) {
            return null;
        }
    }

    private static String subject(JwtClaims claims) {
        try {
            return claims.getSubject();
        } catch (Exception e) {
            return null;
        }
    }
}
