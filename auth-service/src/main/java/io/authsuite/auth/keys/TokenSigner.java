package io.authsuite.auth.keys;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final MeterRegistry registry;
    /** One timer per provider that has signed: the JDK's until ACCP has loaded, then ACCP's (or the JDK's for good). */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final ThreadLocal<Signer> signers = ThreadLocal.withInitial(Signer::new);
    /** Encoded JOSE headers by kid and typ: a handful per key, rebuilt after a rotation. */
    private static final Map<String, String> HEADERS = new ConcurrentHashMap<>();

    @Inject
    public TokenSigner(SigningKeys keys, MeterRegistry registry) {
        this.keys = keys;
        this.registry = registry;
    }

    /** Without metrics: for tests that sign with a key of their own. */
    TokenSigner(SigningKeys keys) {
        this(keys, null);
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
        Signer signer = signers.get();
        try {
            long started = System.nanoTime();
            Signature signature = signer.initializedFor(key.privateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            byte[] signed = signature.sign();
            record(signature.getProvider().getName(), System.nanoTime() - started);
            return input + '.' + BASE64URL.encodeToString(signed);
        } catch (GeneralSecurityException | RuntimeException e) {
            signer.forget();
            throw new IllegalStateException("signing failed with key " + key.kid(), e);
        }
    }

    /**
     * A thread's {@link Signature}, kept initialised for the key it last signed with: a signature returns to that state
     * after {@code sign()} (JCA), so the provider lookup and the key's import into the provider are paid once per
     * thread and key rather than once per token (about 1% of a native auth-service's CPU under {@code make bench}).
     * A new active key, or the same key re-created for ACCP once it has loaded, is another object: a new signature.
     */
    private static final class Signer {
        private PrivateKey key;
        private Signature signature;

        Signature initializedFor(PrivateKey privateKey) throws GeneralSecurityException {
            if (privateKey != key) {
                // RFC 7518 §3.3: RS256 is RSASSA-PKCS1-v1_5 with SHA-256; the highest-priority provider (ACCP) signs.
                Signature fresh = Signature.getInstance("SHA256withRSA");
                fresh.initSign(privateKey);
                signature = fresh;
                key = privateKey;
            }
            return signature;
        }

        void forget() {
            key = null;
            signature = null;
        }
    }

    /**
     * Times the signature by the provider that made it ({@code authsuite_token_signing_seconds{provider}}): the cost
     * of RS256 apart from the rest of a token request, so that a fallback to the JDK's slower RSA shows, and the JVM
     * and the native executable can be compared on signing alone ({@code make bench} prints it).
     */
    private void record(String provider, long nanos) {
        if (registry != null) {
            timers.computeIfAbsent(provider, p -> Timer.builder("authsuite.token.signing")
                    .description("Time to sign one token (RS256), by the JCA provider that signed it")
                    .tag("provider", p).register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** {@code {"alg":"RS256","kid":...,"typ":...}} in base64url; jose4j writes the JSON, so any kid is escaped. */
    static String encodedHeader(String kid, String typ) {
        String cacheKey = kid + ' ' + typ;
        String cached = HEADERS.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        if (HEADERS.size() > 64) {
            HEADERS.clear();
        }
        String encoded = header(kid, typ);
        HEADERS.put(cacheKey, encoded);
        return encoded;
    }

    private static String header(String kid, String typ) {
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
