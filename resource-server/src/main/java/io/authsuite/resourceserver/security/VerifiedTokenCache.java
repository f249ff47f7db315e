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

    /**
     * The token {@link VerifiedTokensAuthenticateInline} found here, held for the authentication it runs on this
     * thread: the cache may start over (or the entry lapse) between that look-up and {@link VerifiedTokens}' own, and
     * a miss there would verify on the event loop, where a key fetch blocks it.
     */
    private static final ThreadLocal<Pinned> PINNED = new ThreadLocal<>();

    private record Pinned(String token, JsonWebToken parsed) {
    }

    /** Runs {@code work} on this thread with {@code token} answered as {@code parsed}, whatever the cache does. */
    <T> T pinned(String token, JsonWebToken parsed, java.util.function.Supplier<T> work) {
        PINNED.set(new Pinned(token, parsed));
        try {
            return work.get();
        } finally {
            PINNED.remove();
        }
    }

    /** The verified token, or null when it was not verified here or has expired since. */
    public JsonWebToken get(String token) {
        Pinned pinned = PINNED.get();
        if (pinned != null && pinned.token().equals(token)) {
            return pinned.parsed();
        }
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
