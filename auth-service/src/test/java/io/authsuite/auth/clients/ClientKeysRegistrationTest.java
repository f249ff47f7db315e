package io.authsuite.auth.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctJwkGenerator;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.Test;

/** What a private_key_jwt client may register as its keys: public RSA or EC keys, nothing else. */
class ClientKeysRegistrationTest {

    private static final RsaJsonWebKey KEY = io.authsuite.auth.TestKeys.rsa(null);

    private static String refusal(String jwks) {
        return assertThrows(IllegalStateException.class, () -> ClientRegistry.publicKeys("c", jwks)).getMessage();
    }

    @Test
    void jwksWhenPublicRsaKeyThenRegistered() {
        assertEquals(1, ClientRegistry.publicKeys("c", new JsonWebKeySet(KEY).toJson()).size());
    }

    @Test
    void jwksWhenPrivateKeyIncludedThenServerRefusesToStart() {
        String withPrivate = new JsonWebKeySet(KEY).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        assertTrue(refusal(withPrivate).contains("private key"));
    }

    @Test
    void jwksWhenSymmetricEmptyOrMalformedThenRefused() throws Exception {
        assertTrue(refusal(new JsonWebKeySet(OctJwkGenerator.generateJwk(256))
                .toJson(JsonWebKey.OutputControlLevel.INCLUDE_SYMMETRIC)).contains("RSA and EC"));
        assertTrue(refusal("{\"keys\":[]}").contains("no key"));
        assertTrue(refusal("not json").contains("not a JWK Set"));
    }
}
