package io.authsuite.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** RP-initiated logout against a code redemption under way in the same session, on the real Redis. */
@QuarkusTest
class SessionFamiliesTest {

    @Inject
    RefreshTokenStore refreshTokens;

    @Inject
    RedisDataSource redis;

    @Test
    void revokeSessionWhenAFamilyIsIndexedButNotYetWrittenThenKeptForTheNextPass() {
        String session = "ref-" + UUID.randomUUID();
        // A redemption has indexed its family under the session (RefreshTokenStore#start) and not yet written it.
        String pending = "pending-" + UUID.randomUUID();
        redis.set(String.class).sadd(RefreshTokenStore.BY_SESSION + session, pending);
        RefreshTokenStore.Rotation.Rotated written = refreshTokens.start(TestClients.SPA, "subject-" + UUID.randomUUID(),
                "openid", session, 0L);

        assertEquals(1, refreshTokens.revokeSession(session));
        assertTrue(refreshTokens.isRevoked(written.family().id()));
        assertFalse(redis.set(String.class).sismember(RefreshTokenStore.BY_SESSION + session,
                written.family().id()));
        // The logout's pass after deleting the session still finds the one written since.
        assertTrue(redis.set(String.class).sismember(RefreshTokenStore.BY_SESSION + session, pending));
    }
}
