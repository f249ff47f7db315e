package io.authsuite.auth;

import org.jose4j.jwk.JsonWebKey;
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

    /**
     * One key pair per run under {@code name}, the same in every class loader: a test profile (loaded by JUnit's)
     * registers its public half, and the test (loaded by Quarkus') signs with its private half.
     */
    public static synchronized RsaJsonWebKey shared(String name, String kid) {
        String property = "authsuite.test.key." + name;
        try {
            if (System.getProperty(property) == null) {
                System.setProperty(property, rsa(kid).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            }
            return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(System.getProperty(property));
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
