package io.authsuite.orders.exchange;

import io.quarkus.oidc.client.NamedOidcClient;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Access tokens for inventory-service on behalf of the person who places an order: token exchange (RFC 8693) of the
 * person's access token at auth-service, through quarkus-oidc-client's {@code exchange} client. inventory-service then
 * sees the person ({@code sub}) and this service ({@code act}), and auth-service grants only what orders-service's
 * registration and the person's token both allow.
 *
 * <p>A person who places several orders with one access token is exchanged once: the result is kept, by the SHA-256
 * of the person's token, until a minute before it expires. The cache is bounded; the oldest entry goes first.
 */
@ApplicationScoped
public class OnBehalfTokens {

    private static final int MAX_ENTRIES = 10_000;
    private static final long SKEW_SECONDS = 60;

    private record Cached(String token, long expiresAt) {
    }

    private final OidcClient exchange;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public OnBehalfTokens(@NamedOidcClient("exchange") OidcClient exchange) {
        this.exchange = exchange;
    }

    /** A token for inventory-service that acts for the holder of {@code personToken}. */
    public Uni<String> forPerson(String personToken) {
        String key = sha256(personToken);
        long now = clock.instant().getEpochSecond();
        Cached cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        if (cached != null && cached.expiresAt() - SKEW_SECONDS > now) {
            return Uni.createFrom().item(cached.token());
        }
        return exchange.getTokens(Map.of("subject_token", personToken)).map(tokens -> remember(key, tokens, now));
    }

    private String remember(String key, Tokens tokens, long now) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        synchronized (cache) {
            cache.put(key, new Cached(tokens.getAccessToken(), expiresAt == null ? now : expiresAt));
        }
        return tokens.getAccessToken();
    }

    private static String sha256(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
