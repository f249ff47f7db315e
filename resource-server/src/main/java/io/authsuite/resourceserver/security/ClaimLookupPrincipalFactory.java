package io.authsuite.resourceserver.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * SmallRye JWT's own factory, with one change to the principal it makes: reading a claim outside the MicroProfile
 * {@link Claims} list ({@code scope}, {@code client_id}, {@code cnf}) no longer throws and catches an
 * IllegalArgumentException from {@code Claims.valueOf}. Every request reads two such claims; a profile of the order
 * path put 3-5% of each resource service's CPU in filling those exceptions' stack traces. The token is parsed and
 * checked by SmallRye's {@link DefaultJWTTokenParser}, as by the default factory, and then for an {@code iat} ahead of
 * this clock.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class ClaimLookupPrincipalFactory extends JWTCallerPrincipalFactory {

    private static final Map<String, Claims> KNOWN = Arrays.stream(Claims.values())
            .collect(Collectors.toUnmodifiableMap(Claims::name, Function.identity()));

    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JwtContext context = parser.parse(token, authContextInfo);
        refuseIssuedAhead(context.getJwtClaims(), authContextInfo);
        // The header as jose4j parsed it to choose the verification key: the kid the deny list checks must be that
        // one, escapes decoded, not a reading of the raw JSON that a forged header could make differ.
        org.jose4j.jwx.JsonWebStructure jose = context.getJoseObjects().get(0);
        return new Principal(jose.getHeader("typ"), jose.getKeyIdHeaderValue(), context.getJwtClaims());
    }

    /**
     * SmallRye caps a token's lifetime ({@code smallrye.jwt.time-to-live}) as {@code exp - iat} and never looks at
     * whether {@code iat} lies ahead: a token forged with a leaked key could name an {@code iat} a year from now and an
     * {@code exp} just after it. An {@code iat} later than this clock's now plus the skew is refused (RFC 7519 §4.1.6:
     * the time the token was issued), so that the cap bounds {@code exp} itself.
     */
    private static void refuseIssuedAhead(JwtClaims claims, JWTAuthContextInfo info) throws ParseException {
        try {
            NumericDate issuedAt = claims.getIssuedAt();
            long latest = System.currentTimeMillis() / 1000 + info.getClockSkew();
            if (info.getMaxTimeToLiveSecs() != null && issuedAt != null && issuedAt.getValue() > latest) {
                throw new ParseException("the token's iat lies in the future");
            }
        } catch (MalformedClaimException e) {
            throw new ParseException("the token's iat is malformed", e);
        }
    }

    static final class Principal extends DefaultJWTCallerPrincipal {
        private final String type;
        private final String keyId;

        Principal(String type, String keyId, JwtClaims claims) {
            super(type, claims);
            this.type = type;
            this.keyId = keyId;
        }

        /** The JOSE header's {@code typ}, as parsed; null when absent. */
        String type() {
            return type;
        }

        /** The JOSE header's {@code kid}, as parsed; null when absent. */
        String keyId() {
            return keyId;
        }

        @Override
        protected Claims getClaimType(String name) {
            return KNOWN.getOrDefault(name, Claims.UNKNOWN);
        }
    }
}
