package io.authsuite.auth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    private static final Path SOURCE = Path.of("key.pem");

    @Test
    void pemWhenPkcs8RsaThenKidIsThumbprint() throws Exception {
        KeyPair pair = generate(2048);
        SigningKey key = SigningKeys.fromPem(pem(pair), SOURCE);
        assertEquals(pair.getPublic(), key.publicKey());
        assertEquals(SigningKeys.thumbprint(key.publicKey()), key.kid());
        assertEquals(43, key.kid().length());
    }

    @Test
    void pemWhenKeyTooShortThenRefused() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SigningKeys.fromPem(pem(generate(1024)), SOURCE));
        assertTrue(e.getMessage().contains("2048"));
    }

    @Test
    void pemWhenNotPkcs8ThenRefused() {
        assertThrows(IllegalStateException.class,
                () -> SigningKeys.fromPem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----", SOURCE));
        assertThrows(IllegalStateException.class,
                () -> SigningKeys.fromPem("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----", SOURCE));
    }

    @Test
    void seedWhenFolderHoldsARevokedKeyThenRefusedNamingIt() throws Exception {
        SigningKey kept = SigningKeys.fromPem(pem(generate(2048)), SOURCE);
        SigningKey revoked = SigningKeys.fromPem(pem(generate(2048)), SOURCE);
        SigningKeys.refuseRevoked(java.util.List.of(kept), java.util.Set.of(revoked.kid()), "is in the folder");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SigningKeys.refuseRevoked(
                java.util.List.of(kept, revoked), java.util.Set.of(revoked.kid()), "is in the folder"));
        assertTrue(e.getMessage().contains(revoked.kid()));
    }

    static KeyPair generate(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
