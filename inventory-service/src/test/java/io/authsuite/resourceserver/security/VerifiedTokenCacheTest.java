package io.authsuite.resourceserver.security;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** {@link VerifiedTokenCache}: what an inline authentication found stays found for it while the cache starts over. */
class VerifiedTokenCacheTest {

    private static DefaultJWTCallerPrincipal token(String jti) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("someone");
        claims.setExpirationTimeMinutesInTheFuture(15);
        claims.setJwtId(jti);
        return new DefaultJWTCallerPrincipal("JWT", claims);
    }

    @Test
    void getWhenCacheStartedOverDuringAPinnedAuthenticationThenStillTheTokenItFound() {
        VerifiedTokenCache cache = new VerifiedTokenCache(1);
        DefaultJWTCallerPrincipal first = token("a");
        cache.remember("token-a", first);

        Object seenInside = cache.pinned("token-a", cache.get("token-a"), () -> {
            // Another request fills the one-entry cache, which starts over: token-a is gone from it.
            cache.remember("token-b", token("b"));
            return cache.get("token-a");
        });

        assertSame(first, seenInside, "the authentication under way must not verify again on the event loop");
        assertNull(cache.get("token-a"), "outside the pinned authentication the cache answers as it is");
    }
}
