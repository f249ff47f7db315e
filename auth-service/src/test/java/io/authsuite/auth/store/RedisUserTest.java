package io.authsuite.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.RedisConfinement;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** auth-service talks to Redis as its own ACL user (redis/users.acl), confined to its keys: issue 11 item 7. */
@QuarkusTest
class RedisUserTest {

    @Inject
    RedisDataSource redis;

    @Test
    void authServiceConnectsAsItsOwnRedisUser() {
        assertEquals("auth-service", RedisConfinement.over(redis).send("ACL", "WHOAMI"));
    }

    @Test
    void authServiceRedisUserWhenTouchingOrdersOrInventoryKeysOrAdministeringRedisThenRefused() {
        List<RedisConfinement.Case> cases = RedisConfinement.cases("auth:", List.of(),
                List.of("orders:order:o1", "orders:idempotency:k", "inventory:item:BOOK-001",
                        "inventory:reservation:r1"));
        assertEquals(Map.of(), RedisConfinement.mismatches(RedisConfinement.over(redis), cases));
    }
}
