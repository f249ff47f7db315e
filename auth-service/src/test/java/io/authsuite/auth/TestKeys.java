package io.authsuite.auth;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

/** Key pairs of test clients (private_key_jwt, request objects): made per run, never stored. */
public final class TestKeys {

    private TestKeys() {
    }

    /** A fresh RSA-2048 key pair with key id {@code kid} (none when null). */
    public static RsaJsonWebKey rsa(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            if (kid != null) {
                key.setKeyId(kid);
            }
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
