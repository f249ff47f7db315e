package io.authsuite.auth.keys;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Signs the tokens auth-service issues: a compact JWS (RFC 7515), RS256 with the active key and its {@code kid}.
 *
 * <p>jose4j directly, the library SmallRye JWT verifies and signs with. smallrye-jwt-build on top of it looked up a
 * dozen configuration properties per token (defaults for claims this server always sets itself), each through the
 * whole configuration interceptor chain: about 7% of auth-service's Java CPU under {@code make bench}. The JCA
 * provider is the same (the highest-priority one: ACCP where it loads).
 */
@ApplicationScoped
public class TokenSigner {

    private final SigningKeys keys;

    public TokenSigner(SigningKeys keys) {
        this.keys = keys;
    }

    /** The signed token of {@code claims}, with JOSE header {@code typ} (RFC 7515 §4.1.9). */
    public String sign(JwtClaims claims, String typ) {
        SigningKey key = keys.active();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", typ);
        jws.setKey(key.privateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing failed with key " + key.kid(), e);
        }
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
