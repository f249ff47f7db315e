package io.authsuite.auth.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyEncryptionTest {

    private static String kek() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void sealThenOpenWithSameKeyAndKid() {
        KeyEncryption encryption = new KeyEncryption(kek());
        byte[] secret = "private key bytes".getBytes();
        assertArrayEquals(secret, encryption.open(encryption.seal(secret, "kid-1"), "kid-1"));
    }

    @Test
    void openWithOtherKeyOrKidOrTamperedThenRefused() {
        KeyEncryption encryption = new KeyEncryption(kek());
        String sealed = encryption.seal("private key bytes".getBytes(), "kid-1");
        assertThrows(IllegalStateException.class, () -> new KeyEncryption(kek()).open(sealed, "kid-1"));
        assertThrows(IllegalStateException.class, () -> encryption.open(sealed, "kid-2"));
        byte[] raw = Base64.getDecoder().decode(sealed);
        raw[raw.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> encryption.open(Base64.getEncoder().encodeToString(raw), "kid-1"));
    }

    @Test
    void keyEncryptionKeyMustBe256Bits() {
        assertThrows(IllegalStateException.class, () -> new KeyEncryption(Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalStateException.class, () -> new KeyEncryption("not base64!"));
    }
}
