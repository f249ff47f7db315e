package io.authsuite.auth.keys;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;

/**
 * Signs the tokens auth-service issues: a compact JWS (RFC 7515), RS256 with the active key and its {@code kid}.
 *
 * <p>Claims are written by jose4j, the library SmallRye JWT verifies and signs with. smallrye-jwt-build on top of it
 * looked up a dozen configuration properties per token (defaults for claims this server always sets itself), each
 * through the whole configuration interceptor chain: about 7% of auth-service's Java CPU under {@code make bench}.
 * The JCA provider is the same (the highest-priority one: ACCP where it loads).
 */
@ApplicationScoped
public class TokenSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;

    public TokenSigner(SigningKeys keys) {
        this.keys = keys;
    }

    /**
     * The signed token of {@code claims}, with JOSE header {@code typ} (RFC 7515 §4.1.9). The compact serialization
     * (RFC 7515 §7.1) is assembled here rather than by jose4j's {@code JsonWebSignature}: that encoded the payload
     * twice per token, through a Base64 codec of its own (2.5% of auth-service's CPU samples under
     * {@code make bench}'s refresh load); {@link Base64} is the JDK's, intrinsified on HotSpot.
     */
    public String sign(JwtClaims claims, String typ) {
        return sign(keys.active(), claims, typ);
    }

    String sign(SigningKey key, JwtClaims claims, String typ) {
        String payload = BASE64URL.encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8));
        String input = encodedHeader(key.kid(), typ) + '.' + payload;
        try {
            // RFC 7518 §3.3: RS256 is RSASSA-PKCS1-v1_5 with SHA-256; the highest-priority provider (ACCP) signs.
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.privateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + '.' + BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed with key " + key.kid(), e);
        }
    }

    /** {@code {"alg":"RS256","kid":...,"typ":...}} in base64url; jose4j writes the JSON, so any kid is escaped. */
    static String encodedHeader(String kid, String typ) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", AlgorithmIdentifiers.RSA_USING_SHA256);
        header.put("kid", kid);
        header.put("typ", typ);
        return BASE64URL.encodeToString(JsonUtil.toJson(header).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A claim value as jose4j's JSON writer takes it: lists and maps only, so a set (scopes, groups) or a nested
     * collection becomes a JSON array rather than its {@code toString()}.
     */
    public static Object json(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), json(v)));
            return copy;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            collection.forEach(v -> copy.add(json(v)));
            return copy;
        }
        return value;
    }
}
