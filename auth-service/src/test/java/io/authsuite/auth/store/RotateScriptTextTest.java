package io.authsuite.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The rotation script carries key prefixes and field names in its text: only plain ones may get there. */
class RotateScriptTextTest {

    @Test
    void luaStringWhenPlainKeyPrefixThenQuoted() {
        assertEquals("'auth:{fam}:user:'", RefreshTokenStore.luaString("auth:{fam}:user:"));
        assertEquals("''", RefreshTokenStore.luaString(""));
    }

    @Test
    void luaStringWhenValueCouldEndTheLiteralThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> RefreshTokenStore.luaString("x') redis.call('FLUSHALL"));
        assertThrows(IllegalArgumentException.class, () -> RefreshTokenStore.luaString("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> RefreshTokenStore.luaString("a\\"));
    }
}
