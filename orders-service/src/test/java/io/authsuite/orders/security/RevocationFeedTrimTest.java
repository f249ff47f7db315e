package io.authsuite.orders.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.redis.KeyLayout;
import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The revocation feed is a capped stream (auth-service writes it with {@code XADD MAXLEN}): a follower that falls
 * behind by more than the cap must not skip what was trimmed unread.
 */
@QuarkusTest
class RevocationFeedTrimTest {

    /**
     * Revokes {@code jti}, then publishes {@code after} more revocations, the stream capped at {@code cap} entries,
     * all in one script: the follower cannot read in between, as one that stalled (a pause, a throttled CPU) could not.
     */
    private static final String BURIED = """
            local expiry = ARGV[2]
            redis.call('ZADD', KEYS[1], expiry, 'jti:' .. ARGV[1])
            redis.call('XADD', KEYS[2], 'MAXLEN', '=', ARGV[4], '*', 'entry', 'jti:' .. ARGV[1], 'until', expiry)
            for i = 1, tonumber(ARGV[3]) do
              redis.call('ZADD', KEYS[1], expiry, 'jti:filler-' .. ARGV[1] .. '-' .. i)
              redis.call('XADD', KEYS[2], 'MAXLEN', '=', ARGV[4], '*', 'entry', 'jti:filler-' .. ARGV[1] .. '-' .. i,
                'until', expiry)
            end
            return 0
            """;

    @Test
    void revocationTrimmedFromTheFeedBeforeThisServiceReadItThenStillRefusedFromTheSet() throws Exception {
        String jti = UUID.randomUUID().toString();
        long now = Instant.now().getEpochSecond();
        String token = TestIssuer.sign(TestIssuer.claims("someone", "orders-service", "orders:read").claim("jti", jti));
        given().auth().oauth2(token).get("/orders").then().statusCode(200);

        KeyLayout layout = KeyLayout.of(RedisTestResource.server().clustered());
        RedisTestResource.server().command("EVAL", BURIED, "2", layout.denied(), layout.revocationStream(), jti,
                Long.toString(now + 900), "2000", "600");

        assertEquals(401, ClientRevocationTest.statusOnceRefused(token),
                "the revocation trimmed from the stream unread is found in the set");
    }
}
