package io.authsuite.auth.users;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1, Duration.ofSeconds(5));

    @Test
    void verifyWhenPasswordRightThenTrueAndWrongThenFalse() {
        String stored = hasher.hash("correct horse battery");
        assertTrue(PasswordHasher.isHash(stored));
        assertTrue(hasher.verify("correct horse battery", stored));
        assertFalse(hasher.verify("correct horse battery!", stored));
    }

    @Test
    void verifyWhenStoredHashCannotBeRunThenFalseNotAnExceptionAndNotAHash() {
        String salt = "c2FsdHNhbHRzYWx0c2FsdA";
        for (String stored : new String[] {
                // base64 of a length no encoder produces: decoding it throws
                "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$A",
                // a 3-byte digest: Argon2 refuses outputs under 4 bytes
                "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAAA",
                // 1 GiB for one check: a 128 MiB pod would die of it
                "$argon2id$v=19$m=1048576,t=2,p=1$" + salt + "$" + "A".repeat(43),
                "$argon2id$v=19$m=19456,t=99,p=1$" + salt + "$" + "A".repeat(43)}) {
            assertFalse(hasher.verify("anything", stored), stored);
            assertFalse(PasswordHasher.isHash(stored), stored);
        }
    }

    @Test
    void needsRehashWhenParametersDifferFromTodaysThenTrueAndForTodaysOrMalformedThenFalse() {
        assertFalse(hasher.needsRehash(hasher.hash("pw")));
        assertTrue(hasher.needsRehash(hasher.hash("pw", 8192, 1, 1)));
        assertTrue(hasher.needsRehash(hasher.hash("pw", 19456, 3, 1)));
        assertTrue(hasher.needsRehash(hasher.hash("pw", 19456, 2, 2)));
        // Nothing to replace: a hash that cannot be run never verifies in the first place.
        assertFalse(hasher.needsRehash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$A"));
        assertFalse(hasher.needsRehash(null));
    }
}
