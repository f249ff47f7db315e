package io.authsuite.auth.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every key a store writes carries its expiry from the moment it exists: no partial write leaves one forever. */
@QuarkusTest
class StoreExpiryTest {

    @Inject
    RedisDataSource redis;

    @Inject
    RefreshTokenStore refreshTokens;

    @Inject
    SessionStore sessions;

    @Test
    void revokeFamilyWhenFamilyAlreadyExpiredThenNoKeyWithoutExpiryLeftBehind() {
        String family = UUID.randomUUID().toString();
        refreshTokens.revokeFamily(family);
        assertFalse(redis.key().exists(RefreshTokenStore.FAMILY + family));
    }

    @Test
    void sessionCreatedThenSessionAndItsIndexExpire() {
        String subject = "s-" + UUID.randomUUID();
        SessionStore.LoginSession session = sessions.create(subject);
        long ttl = redis.key().ttl("auth:session:" + OpaqueTokens.hash(session.id()));
        long indexTtl = redis.key().ttl("auth:subject-sessions:" + subject);
        assertTrue(ttl > 0 && indexTtl > 0, ttl + " / " + indexTtl);
    }
}
