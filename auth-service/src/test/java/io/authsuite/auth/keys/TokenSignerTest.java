package io.authsuite.auth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compact JWS that {@link TokenSigner} assembles itself is the one jose4j would have produced: RS256
 * (PKCS #1 v1.5) is deterministic, so the same key, header and claims give the same bytes.
 */
class TokenSignerTest {

    private static SigningKey key;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        key = new SigningKey("k-1_x", (RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    }

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://auth.example");
        claims.setSubject("alice");
        claims.setClaim("scope", "openid orders:read");
        claims.setClaim("groups", TokenSigner.json(java.util.Set.of("user")));
        claims.setClaim("name", "Zoë \"Z\" Ünal / ✓");
        claims.setExpirationTimeMinutesInTheFuture(15);
        return claims;
    }

    @Test
    void signWhenClaimsGivenThenSameCompactSerializationAsJose4j() throws Exception {
        JwtClaims claims = claims();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "at+jwt");
        jws.setKey(key.privateKey());

        assertEquals(jws.getCompactSerialization(), new TokenSigner(null).sign(key, claims, "at+jwt"));
    }

    @Test
    void signWhenTypeChangesThenHeaderNamesIt() throws Exception {
        TokenSigner signer = new TokenSigner(null);
        signer.sign(key, claims(), "at+jwt");
        String token = signer.sign(key, claims(), "JWT");

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        Map<String, Object> header = JsonUtil.parseJson(
                new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        assertEquals(Map.of("alg", "RS256", "kid", "k-1_x", "typ", "JWT"), header);
        assertTrue(List.of(parts).stream().noneMatch(p -> p.contains("=")), "base64url without padding (RFC 7515 §2)");

        JsonWebSignature verify = new JsonWebSignature();
        verify.setCompactSerialization(token);
        verify.setKey(key.publicKey());
        assertTrue(verify.verifySignature());
        assertEquals("Zoë \"Z\" Ünal / ✓", JwtClaims.parse(verify.getPayload()).getClaimValue("name"));
    }

    @Test
    void signWhenActiveKeyChangesOnTheSameThreadThenEachTokenVerifiesWithItsOwnKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        SigningKey other = new SigningKey("k-2", (RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
        TokenSigner signer = new TokenSigner(null);

        // Each thread keeps its signature initialised for the last key: a rotation must not sign with the old one.
        for (SigningKey k : List.of(key, other, other, key)) {
            JsonWebSignature verify = new JsonWebSignature();
            verify.setCompactSerialization(signer.sign(k, claims(), "at+jwt"));
            verify.setKey(k.publicKey());
            assertTrue(verify.verifySignature(), "signed with " + k.kid());
            assertEquals(k.kid(), verify.getKeyIdHeaderValue());
        }
    }
}
