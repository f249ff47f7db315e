package io.authsuite.resourceserver.security;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Access tokens whose signature and claims SmallRye JWT verified, by their exact text, while their {@code exp} lies
 * ahead (stricter than the verifier's clock skew). At most {@code authsuite.jwt.verified-tokens} entries (0: off);
 * it starts over when full. Read by {@link VerifiedTokens} (no second verification) and
 * {@link VerifiedTokensAuthenticateInline} (no worker thread for a token already verified).
 */
@Singleton
public class VerifiedTokenCache {

    private final int capacity;
    private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(@ConfigProperty(name = "authsuite.jwt.verified-tokens", defaultValue = "4096") int capacity) {
        this.capacity = capacity;
    }

    /** The verified token, or null when it was not verified here or has expired since. */
    public JsonWebToken get(String token) {
        if (capacity <= 0) {
            return null;
        }
        JsonWebToken known = verified.get(token);
        if (known != null && known.getExpirationTime() <= now()) {
            verified.remove(token);
            return null;
        }
        return known;
    }

    public void remember(String token, JsonWebToken parsed) {
        if (capacity > 0 && parsed.getExpirationTime() > now()) {
            if (verified.size() >= capacity) {
                verified.clear();
            }
            verified.put(token, parsed);
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
