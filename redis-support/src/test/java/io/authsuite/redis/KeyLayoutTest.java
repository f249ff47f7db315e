package io.authsuite.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {

    @Test
    void groupWhenOneServerThenKeysKeepTheirNames() {
        KeyLayout layout = KeyLayout.of(false);
        assertEquals("inventory:", layout.group("inventory:", "stock"));
        assertEquals("auth:denied", layout.denied());
        assertEquals("auth:revocations", layout.revocationStream());
    }

    @Test
    void groupWhenClusterThenOneHashTagAfterTheServicePrefix() {
        KeyLayout layout = KeyLayout.of(true);
        assertEquals("inventory:{stock}:", layout.group("inventory:", "stock"));
        // The service prefix stays first: each service's Redis user may only touch keys under it.
        assertTrue(layout.denied().startsWith("auth:{revocations}:"), layout.denied());
        assertTrue(layout.revocationStream().startsWith("auth:{revocations}:"), layout.revocationStream());
    }

    @Test
    void groupWhenTagHasBracesThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> KeyLayout.of(true).group("auth:", "a}b"));
    }

    @Test
    void durableWritesWhenClusterThenRefusedAtStartUnlessNoReplicaIsAwaited() {
        Duration second = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new DurableWrites(1, second, KeyLayout.of(true)));
        new DurableWrites(0, second, KeyLayout.of(true));
        new DurableWrites(1, second, KeyLayout.of(false));
    }
}
