package io.authsuite.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.JsonWebKey;

/**
 * Stands in for auth-service in a single resource service's own tests: it generates an RSA key pair, publishes
 * the public half as a JWKS file that the service under test reads ({@code target/test-jwks.json}), and signs
 * access tokens shaped like auth-service's. The real issuer is exercised by the system tests.
 */
public class TestIssuer implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://issuer.test.authsuite";
    public static final Path JWKS_FILE = Path.of("target", "test-jwks.json");

    private static KeyPair keys;
    private static String kid;
    private static KeyPair otherKeys;

    @Override
    public synchronized Map<String, String> start() {
        init();
        return Map.of();
    }

    @Override
    public void stop() {
        // the JWKS file stays for the test JVM's lifetime
    }

    private static synchronized void init() {
        if (keys != null) {
            return;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            otherKeys = generator.generateKeyPair();
            RsaJsonWebKey jwk = (RsaJsonWebKey) JsonWebKey.Factory.newJwk(keys.getPublic());
            kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
            jwk.setKeyId(kid);
            jwk.setAlgorithm("RS256");
            jwk.setUse("sig");
            Files.createDirectories(JWKS_FILE.getParent());
            Files.writeString(JWKS_FILE, new JsonWebKeySet(jwk).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        } catch (NoSuchAlgorithmException | IOException | org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A claims builder preset like auth-service's access tokens; callers add or override claims and sign. */
    public static JwtClaimsBuilder claims(String subject, String audience, String... scopes) {
        init();
        long now = Instant.now().getEpochSecond();
        return Jwt.claims()
                .issuer(ISSUER)
                .subject(subject)
                .audience(Set.of(audience))
                .issuedAt(now)
                .expiresAt(now + 900)
                .claim("jti", UUID.randomUUID().toString())
                .claim("client_id", subject)
                .claim("scope", String.join(" ", Arrays.asList(scopes)));
    }

    /** A valid access token for {@code subject} with the given audience and scopes. */
    public static String token(String subject, String audience, String... scopes) {
        return sign(claims(subject, audience, scopes));
    }

    public static String sign(JwtClaimsBuilder claims) {
        init();
        return claims.jws().keyId(kid).header("typ", "at+jwt").sign(keys.getPrivate());
    }

    /** Signs with the published key but another JOSE {@code typ}, such as an id_token's {@code JWT}. */
    public static String signWithType(JwtClaimsBuilder claims, String typ) {
        init();
        return claims.jws().keyId(kid).header("typ", typ).sign(keys.getPrivate());
    }

    /** Signs with a key that is not in the JWKS but claims the published kid: a forgery. */
    public static String signWithUnknownKey(JwtClaimsBuilder claims) {
        init();
        return claims.jws().keyId(kid).sign(otherKeys.getPrivate());
    }

    /** The kid of the published key. */
    public static String kid() {
        init();
        return kid;
    }

    /**
     * Signs {@code claims} with the published key under a JOSE header written as is ({@code headerJson}): for
     * headers no builder writes, such as a kid with JSON escapes or none at all. Each {@code %s} in it is the kid.
     */
    public static String signWithRawHeader(JwtClaimsBuilder claims, String headerJson) {
        init();
        String signed = sign(claims);
        String payload = signed.substring(signed.indexOf('.') + 1, signed.lastIndexOf('.'));
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(headerJson.replace("%s", kid).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + payload;
        try {
            java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAPublicKey publicKey() {
        init();
        return (RSAPublicKey) keys.getPublic();
    }
}
