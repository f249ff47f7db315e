package io.authsuite.inventory.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.RedisConfinement;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** inventory-service talks to Redis as its own ACL user (redis/users.acl), confined to its keys: issue 11 item 7. */
@QuarkusTest
class RedisUserTest {

    @Inject
    RedisDataSource redis;

    @Test
    void inventoryServiceConnectsAsItsOwnRedisUser() {
        assertEquals("inventory-service", RedisConfinement.over(redis).send("ACL", "WHOAMI"));
    }

    @Test
    void inventoryServiceRedisUserWhenReadingOrWritingAuthKeysOrAdministeringRedisThenRefused() {
        List<RedisConfinement.Case> cases = RedisConfinement.cases("inventory:", List.of("auth:denied", "auth:revocations"),
                List.of("auth:user:alice", "auth:session:s1", "auth:client:web-app", "auth:refresh:r1",
                        "orders:order:o1"));
        assertEquals(Map.of(), RedisConfinement.mismatches(RedisConfinement.over(redis), cases));
    }
}
