package io.authsuite.auth.keys;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** One RSA key pair with its key id (the RFC 7638 thumbprint of the public key). */
public record SigningKey(String kid, RSAPrivateKey privateKey, RSAPublicKey publicKey) {

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + "]";
    }
}
