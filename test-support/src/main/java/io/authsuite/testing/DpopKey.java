package io.authsuite.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/** A client's DPoP key pair (P-256) that makes proofs (RFC 9449 §4), good and deliberately bad, for tests. */
public final class DpopKey {

    private final EllipticCurveJsonWebKey key;

    private DpopKey(EllipticCurveJsonWebKey key) {
        this.key = key;
    }

    public static DpopKey generate() {
        try {
            return new DpopKey(EcJwkGenerator.generateJwk(EllipticCurves.P256));
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RFC 7638 thumbprint a token bound to this key carries as {@code cnf.jkt}. */
    public String thumbprint() {
        return key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /** The claims of a proof for one request, fresh {@code jti} and {@code iat} now; change them for bad proofs. */
    public static JwtClaims claims(String method, String uri, String accessToken) {
        JwtClaims claims = new JwtClaims();
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setStringClaim("htm", method);
        claims.setStringClaim("htu", uri);
        claims.setClaim("iat", Instant.now().getEpochSecond());
        if (accessToken != null) {
            claims.setStringClaim("ath", ath(accessToken));
        }
        return claims;
    }

    /** A good proof for one request. */
    public String proof(String method, String uri, String accessToken) {
        return sign(claims(method, uri, accessToken), "dpop+jwt", false);
    }

    /** A good proof for one request, carrying the server's {@code nonce} (RFC 9449 §8) when it is not null. */
    public String proof(String method, String uri, String accessToken, String nonce) {
        JwtClaims claims = claims(method, uri, accessToken);
        if (nonce != null) {
            claims.setStringClaim("nonce", nonce);
        }
        return sign(claims, "dpop+jwt", false);
    }

    /** A proof of {@code claims} with header {@code typ}; {@code privateInHeader} puts the private key in its jwk. */
    public String sign(JwtClaims claims, String typ, boolean privateInHeader) {
        return sign(claims, typ, privateInHeader, this);
    }

    /** A proof whose header names this key while {@code signer} signs it: its signature does not verify. */
    public String sign(JwtClaims claims, String typ, boolean privateInHeader, DpopKey signer) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            jws.setHeader("typ", typ);
            jws.getHeaders().setObjectHeaderValue("jwk", key.toParams(privateInHeader
                    ? JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE : JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            jws.setPayload(claims.toJson());
            jws.setKey(signer.key.getPrivateKey());
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64url(SHA-256) of an access token, the proof's {@code ath}. */
    public static String ath(String accessToken) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
