package io.authsuite.inventory.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * The same unanswered read with {@code authsuite.redis.pipelined=false}: the read goes out on a pooled connection of
 * its loop, which no watchdog closes, so only the read's own deadline can end it with a 503 while Redis is paused.
 * Without that deadline the request would wait for Redis and answer 200 after the pause.
 */
@QuarkusTest
@TestProfile(ItemReadOnPooledConnectionRedisUnansweredTest.PooledShortDeadline.class)
class ItemReadOnPooledConnectionRedisUnansweredTest extends ItemReadRedisUnansweredTest {

    public static class PooledShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.timeout", "1s", "authsuite.redis.pipelined", "false");
        }
    }
}
