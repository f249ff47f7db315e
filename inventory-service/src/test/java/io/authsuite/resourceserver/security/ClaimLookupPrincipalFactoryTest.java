package io.authsuite.resourceserver.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** The principal of {@link ClaimLookupPrincipalFactory} answers every claim exactly as SmallRye's own does. */
class ClaimLookupPrincipalFactoryTest {

    // Fixed instants: two principals built from "now" can straddle a second and disagree on exp and iat.
    private static final long ISSUED_AT = 1_796_610_000L;

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://issuer.test");
        claims.setSubject("orders-service");
        claims.setAudience("inventory-service");
        claims.setExpirationTime(NumericDate.fromSeconds(ISSUED_AT + 900));
        claims.setIssuedAt(NumericDate.fromSeconds(ISSUED_AT));
        claims.setJwtId("jti-1");
        claims.setStringListClaim("groups", List.of("admin", "user"));
        claims.setClaim("scope", "inventory:reserve inventory:read");
        claims.setClaim("client_id", "orders-service");
        claims.setClaim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));
        claims.setClaim("act", Map.of("sub", "orders-service"));
        return claims;
    }

    @Test
    void claimsWhenReadThroughLookupPrincipalThenSameAsSmallRyeDefault() throws Exception {
        var reference = new DefaultJWTCallerPrincipal("JWT", claims());
        var principal = new ClaimLookupPrincipalFactory.Principal("JWT", "kid-1", claims());
        for (String name : List.of("iss", "sub", "aud", "exp", "iat", "jti", "groups", "scope", "client_id", "cnf",
                "act", "raw_token", "not_there")) {
            assertEquals(String.valueOf(reference.<Object>getClaim(name)), String.valueOf(principal.<Object>getClaim(name)),
                    name);
        }
        assertEquals(reference.getClaimNames(), principal.getClaimNames());
        assertEquals(reference.getGroups(), principal.getGroups());
        assertEquals(reference.getExpirationTime(), principal.getExpirationTime());
        assertEquals("inventory:reserve inventory:read", principal.<Object>getClaim("scope").toString()
                .replace("\"", ""));
        assertNull(principal.getClaim("not_there"));
    }

    @Test
    void claimTypeWhenStandardThenKnownAndWhenCustomThenUnknown() {
        var principal = new ClaimLookupPrincipalFactory.Principal("JWT", "kid-1", claims());
        assertEquals(Claims.exp, principal.getClaimType("exp"));
        assertEquals(Claims.groups, principal.getClaimType("groups"));
        assertEquals(Claims.UNKNOWN, principal.getClaimType("scope"));
        assertEquals(Claims.UNKNOWN, principal.getClaimType("client_id"));
    }
}
