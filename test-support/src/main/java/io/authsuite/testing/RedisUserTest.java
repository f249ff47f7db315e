package io.authsuite.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service talks to Redis as its own ACL user ({@code redis/users.acl}), confined to its keys. A {@code @QuarkusTest}
 * subclass names the user and its keys in its constructor; the checks run over the service's own injected
 * connection, so they also prove the service logs in as that user.
 */
public abstract class RedisUserTest {

    @Inject
    RedisDataSource redis;

    private final String user;
    private final String ownPrefix;
    private final List<String> readOnlyKeys;
    private final List<String> foreignKeys;

    /**
     * @param user          the service's Redis user
     * @param ownPrefix     the key prefix the service owns, say {@code orders:}
     * @param readOnlyKeys  keys of another service it may read, and only read
     * @param foreignKeys   keys of other services it may not touch at all
     */
    protected RedisUserTest(String user, String ownPrefix, List<String> readOnlyKeys, List<String> foreignKeys) {
        this.user = user;
        this.ownPrefix = ownPrefix;
        this.readOnlyKeys = readOnlyKeys;
        this.foreignKeys = foreignKeys;
    }

    @Test
    void serviceConnectsAsItsOwnRedisUser() {
        assertEquals(user, RedisConfinement.over(redis).send("ACL", "WHOAMI"));
    }

    @Test
    void serviceRedisUserWhenReachingBeyondItsKeysOrAdministeringRedisThenRefused() {
        List<RedisConfinement.Case> cases = RedisConfinement.cases(ownPrefix, readOnlyKeys, foreignKeys);
        assertEquals(Map.of(), RedisConfinement.mismatches(RedisConfinement.over(redis), cases));
    }
}
