package io.authsuite.auth.keys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.store.RevocationStore;
import io.authsuite.redis.KeyLayout;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A leaked key is taken out of the folder and its kid listed in auth.keys.revoked: the start puts it on the
 * revocation feed, which every resource service follows, so that tokens it signed are refused at once everywhere.
 */
@QuarkusTest
@TestProfile(RevokedKeysTest.LeakedKeyRevoked.class)
class RevokedKeysTest {

    static final String LEAKED = "Vb0xjLQ1uJ3m9N4y0qv7cG2aE5tR8wZ1kP6sD3fH0a";

    public static class LeakedKeyRevoked implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.keys.revoked", LEAKED);
        }
    }

    @Inject
    RevocationStore revocations;

    @Inject
    SigningKeys keys;

    @Test
    void startWhenKeyListedAsRevokedThenItsKidIsDeniedOnTheRevocationFeed() {
        assertTrue(revocations.isKeyDenied(LEAKED), "the revoked kid is on the deny list");
        assertFalse(revocations.isKeyDenied(keys.active().kid()), "the signing key is not");
        KeyLayout layout = KeyLayout.of(RedisTestResource.server().clustered());
        String feed = RedisTestResource.server().command("XRANGE", layout.revocationStream(), "-", "+");
        assertTrue(feed.contains("kid:" + LEAKED), "the resource services are told: " + feed);
    }
}
