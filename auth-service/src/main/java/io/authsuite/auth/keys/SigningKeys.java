package io.authsuite.auth.keys;

import io.authsuite.auth.config.AuthConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The key set: the active signing key and every key published for verification.
 *
 * <p>In production the keys are PKCS#8 PEM files in {@code auth.keys.dir} (a mounted Secret), so every replica
 * signs with the same key and publishes the same JWKS. The key id is the RFC 7638 thumbprint, which every replica
 * derives identically from the key itself. In dev and test a key is generated at start instead.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final SigningKey active;
    private final List<SigningKey> published;
    private final String jwksJson;

    public SigningKeys(AuthConfig config) {
        AuthConfig.Keys settings = config.keys();
        if (settings.dir().isPresent()) {
            Map<String, SigningKey> byName = load(settings.dir().get());
            String activeName = settings.active().orElseGet(() -> {
                if (byName.size() != 1) {
                    throw new IllegalStateException("auth.keys.dir holds " + byName.size()
                            + " keys: set auth.keys.active to the file name (without .pem) of the signing key");
                }
                return byName.keySet().iterator().next();
            });
            this.active = byName.get(activeName);
            if (active == null) {
                throw new IllegalStateException("auth.keys.active=" + activeName + " has no " + activeName + ".pem");
            }
            this.published = List.copyOf(byName.values());
        } else if (settings.generate()) {
            this.active = generate(settings.generatedSize());
            this.published = List.of(active);
            LOG.warnf("Signing with a generated in-memory key %s: tokens do not survive a restart (dev/test only)",
                    active.kid());
        } else {
            throw new IllegalStateException("No signing key: set auth.keys.dir (AUTH_KEYS_DIR) to a folder of PEM keys");
        }
        this.jwksJson = toJwks(published);
        LOG.infof("Signing with key %s; publishing %d key(s)", active.kid(), published.size());
    }

    public SigningKey active() {
        return active;
    }

    public List<SigningKey> published() {
        return published;
    }

    /** The public JWK Set (RFC 7517 §5), rendered once. */
    public String jwksJson() {
        return jwksJson;
    }

    private static Map<String, SigningKey> load(Path dir) {
        Map<String, SigningKey> keys = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path file : files) {
                String name = file.getFileName().toString().replaceFirst("\\.pem$", "");
                keys.put(name, fromPem(Files.readString(file, StandardCharsets.US_ASCII), file));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read signing keys from " + dir, e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("no *.pem signing key in " + dir);
        }
        return keys;
    }

    static SigningKey fromPem(String pem, Path source) {
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(source + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateKey privateKey = (RSAPrivateKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException(source + ": the RSA key lacks its CRT parameters");
            }
            if (crt.getModulus().bitLength() < 2048) {
                // RFC 7518 §3.3: a key of size 2048 bits or larger MUST be used with RS256.
                throw new IllegalStateException(source + ": RSA keys must be at least 2048 bits");
            }
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new SigningKey(thumbprint(publicKey), privateKey, publicKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not a valid RSA private key", e);
        }
    }

    private static SigningKey generate(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(Math.max(bits, 2048));
            KeyPair pair = generator.generateKeyPair();
            RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
            return new SigningKey(thumbprint(publicKey), (RSAPrivateKey) pair.getPrivate(), publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String thumbprint(RSAPublicKey key) {
        return new RsaJsonWebKey(key).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    private static String toJwks(List<SigningKey> keys) {
        List<JsonWebKey> jwks = new ArrayList<>();
        for (SigningKey key : keys) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            jwks.add(jwk);
        }
        // PUBLIC_ONLY: the private parts never leave this process (RFC 7517 §9.2).
        return new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
}
