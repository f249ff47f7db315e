package io.authsuite.auth.clients;

import java.time.Duration;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

/**
 * JWTs a client signs with a key it registered: its client assertions (RFC 7523) and its request objects (RFC 9101).
 * Both are checked with the same keys, algorithms and clock rules; each caller adds its own claims to check.
 */
public final class ClientSignedJwts {

    /** Advertised in discovery for client assertions and request objects alike. */
    public static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256");
    private static final int CLOCK_SKEW_SECONDS = 30;

    private ClientSignedJwts() {
    }

    /**
     * A consumer of JWTs signed by one of {@code client}'s keys with an algorithm of {@link #ALGORITHMS}, with an
     * {@code exp} at most {@code maxLifetime} ahead.
     */
    public static JwtConsumerBuilder signedBy(RegisteredClient client, Duration maxLifetime) {
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(List.<JsonWebKey>copyOf(client.jwks())))
                // RFC 7523 §3, RFC 9101 §10.1 and RFC 8725 §3.1: signed, with a fixed list: no "none", no HMAC.
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new))
                // RFC 7523 §3 item 4 (exp MUST be present); a short lifetime bounds the replay window.
                .setRequireExpirationTime().setMaxFutureValidityInMinutes((int) maxLifetime.toMinutes())
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS);
    }

    /** The {@code typ} of a request object (RFC 9101 §10.8), bare or with the media type's prefix. */
    private static final java.util.Set<String> REQUEST_OBJECT_TYPES = java.util.Set.of("oauth-authz-req+jwt",
            "application/oauth-authz-req+jwt");

    /** The JWT's {@code typ} header in lower case, empty when absent; a {@code typ} that is no string is "?". */
    public static String type(JwtContext verified) {
        Object type = verified.getJoseObjects().get(0).getHeaders().getObjectHeaderValue("typ");
        return type == null ? "" : type instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : "?";
    }

    /**
     * Whether a verified JWT is an authorization request (RFC 9101): typed as one, or carrying {@code response_type},
     * which no other JWT a client signs has.
     */
    public static boolean isRequestObject(JwtContext verified) {
        return isRequestObjectType(type(verified)) || verified.getJwtClaims().hasClaim("response_type");
    }

    /** Whether {@code type}, as {@link #type} gives it, is that of a request object. */
    public static boolean isRequestObjectType(String type) {
        return REQUEST_OBJECT_TYPES.contains(type);
    }

    /** How long past its {@code exp} a JWT is still accepted: the clock skew allowed between client and server. */
    public static Duration clockSkew() {
        return Duration.ofSeconds(CLOCK_SKEW_SECONDS);
    }

    /**
     * A short reason for an error's description, never the JWT's own text. {@code issuerRule} says what iss (and sub)
     * must be.
     */
    public static String reason(InvalidJwtException e, Duration maxLifetime, String issuerRule) {
        for (var detail : e.getErrorDetails()) {
            switch (detail.getErrorCode()) {
                case ErrorCodes.EXPIRED:
                    return "expired";
                case ErrorCodes.EXPIRATION_MISSING:
                    return "exp is missing";
                case ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE:
                    return "exp is more than " + maxLifetime.toMinutes() + " minutes ahead";
                case ErrorCodes.NOT_YET_VALID:
                    return "not valid yet (nbf)";
                case ErrorCodes.AUDIENCE_INVALID, ErrorCodes.AUDIENCE_MISSING:
                    return "aud does not name this server";
                case ErrorCodes.ISSUER_INVALID, ErrorCodes.ISSUER_MISSING, ErrorCodes.SUBJECT_INVALID,
                        ErrorCodes.SUBJECT_MISSING:
                    return issuerRule;
                case ErrorCodes.SIGNATURE_INVALID, ErrorCodes.SIGNATURE_MISSING:
                    return "the signature does not verify with the client's keys";
                case ErrorCodes.JWT_ID_MISSING:
                    return "jti is missing";
                default:
                    break;
            }
        }
        return "signature, algorithm or claims";
    }
}
