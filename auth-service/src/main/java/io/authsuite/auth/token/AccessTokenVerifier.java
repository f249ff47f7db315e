package io.authsuite.auth.token;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.keys.SigningKey;
import io.authsuite.auth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Key;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies this server's own access tokens in-process (for userinfo and the admin API): RS256 only, a known
 * {@code kid}, {@code typ: at+jwt}, this issuer, not expired.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private final JwtConsumer consumer;
    /**
     * Bounded: one level per exchange, and a chain longer than this is no chain this server issued (token exchange
     * refuses to make one).
     */
    public static final int MAX_ACTORS = 8;

    private final io.authsuite.auth.store.RevocationStore revocations;

    public AccessTokenVerifier(SigningKeys keys, AuthConfig config, io.authsuite.auth.store.RevocationStore revocations) {
        this.revocations = revocations;
        VerificationKeyResolver resolver = (JsonWebSignature, nesting) -> resolve(keys.published(), JsonWebSignature);
        this.consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver(resolver)
                .setExpectedIssuer(config.issuer())
                .setRequireExpirationTime()
                .setRequireSubject()
                .setRequireJwtId()
                // No clock skew: these are this server's own tokens, timed by the fleet's clock. RFC 7662 §4: an
                // expired token MUST be inactive, and an exchange on one must not mint a token already expired.
                .setAllowedClockSkewInSeconds(0)
                // RFC 9068 §4: resource servers MUST check typ is at+jwt, so an id_token is not taken for one.
                .setExpectedType(true, "at+jwt")
                .setSkipDefaultAudienceValidation()
                .build();
    }

    public Optional<JwtClaims> verify(String token) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            JwtClaims claims = consumer.processToClaims(token);
            if (isRevoked(claims, kidOf(token))) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException e) {
            return Optional.empty();
        }
    }

    private boolean isRevoked(JwtClaims claims, String kid) throws org.jose4j.jwt.MalformedClaimException {
        long iat = claims.getIssuedAt() == null ? 0 : claims.getIssuedAt().getValue();
        return revocations.isTokenDenied(claims.getJwtId())
                || (kid != null && revocations.isKeyDenied(kid))
                || revocations.isSubjectDenied(claims.getSubject(), iat)
                || revocations.isClientDenied(claims.getClaimValueAsString("client_id"), iat)
                || revocations.isClientDenied(claims.getClaimValueAsString(AccessTokenIssuer.ORIGIN_CLIENT_ID), iat)
                || isActorDenied(claims.getClaimValue("act"), iat);
    }

    /**
     * Whether a client-wide revocation covers a service that acted along an exchanged token's chain (each nested
     * {@code act.sub}, RFC 8693 §4.1): its tokens end, and so do the tokens obtained with them.
     */
    private boolean isActorDenied(Object act, long iat) {
        for (int depth = 0; depth < MAX_ACTORS && act instanceof Map<?, ?> actor; depth++) {
            if (actor.get("sub") instanceof String sub && revocations.isClientDenied(sub, iat)) {
                return true;
            }
            act = actor.get("act");
        }
        return false;
    }

    private static String kidOf(String token) {
        try {
            return org.jose4j.jws.JsonWebSignature.fromCompactSerialization(token).getKeyIdHeaderValue();
        } catch (org.jose4j.lang.JoseException e) {
            return null;
        }
    }

    private static Key resolve(List<SigningKey> keys, JsonWebStructure jws) throws UnresolvableKeyException {
        String kid = jws.getKeyIdHeaderValue();
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst()
                .map(k -> (Key) k.publicKey())
                .orElseThrow(() -> new UnresolvableKeyException("unknown kid"));
    }
}
