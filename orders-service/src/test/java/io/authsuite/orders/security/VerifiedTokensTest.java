package io.authsuite.orders.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** Verified tokens are remembered until they expire, and nothing decided per request is remembered with them. */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    JWTParser parser;

    @Test
    void tokenWhenPresentedAgainThenNotVerifiedAgain() throws Exception {
        String token = TestIssuer.token("cache-user", "orders-service", "orders:read");
        assertSame(parser.parse(token), parser.parse(token));
    }

    @Test
    void rememberedTokenWhenExpiredThenVerifiedAgain() throws Exception {
        long now = Instant.now().getEpochSecond();
        String token = TestIssuer.sign(TestIssuer.claims("cache-user", "orders-service", "orders:read")
                .expiresAt(now + 1));
        JsonWebToken first = parser.parse(token);
        while (Instant.now().getEpochSecond() <= now + 1) {
            Thread.sleep(100);
        }
        // The verifier's 30 s clock skew still accepts it; the cache no longer answers for it.
        assertNotSame(first, parser.parse(token));
    }

    @Test
    void rememberedTokenWhenRevokedThenRefused() throws Exception {
        String jti = UUID.randomUUID().toString();
        String token = TestIssuer.sign(TestIssuer.claims("cache-user", "orders-service", "orders:read").claim("jti", jti));
        given().auth().oauth2(token).get("/orders").then().statusCode(200);
        String until = Long.toString(Instant.now().getEpochSecond() + 900);
        io.authsuite.redis.KeyLayout layout = io.authsuite.redis.KeyLayout.of(RedisTestResource.server().clustered());
        RedisTestResource.server().command("ZADD", layout.denied(), until, "jti:" + jti);
        RedisTestResource.server().command("XADD", layout.revocationStream(), "*", "entry", "jti:" + jti, "until", until);
        long deadline = System.currentTimeMillis() + 5000;
        int status = 200;
        while (status != 401 && System.currentTimeMillis() < deadline) {
            status = given().auth().oauth2(token).get("/orders").then().extract().statusCode();
            Thread.sleep(50);
        }
        assertEquals(401, status, "a remembered token is still checked against the revocation list");
    }
}
