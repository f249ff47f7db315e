package io.authsuite.auth.registration;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.authsuite.auth.clients.ClientSecrets;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Initial access tokens (RFC 7591 §3): what a client must present to register itself. The admin API mints them, each
 * for a while and a number of registrations, kept in Redis only as a hash ({@code auth:iat:<hash>} → uses left, with
 * an expiry). Long-lived ones for automation come from configuration, as hashes too
 * ({@code auth.registration.initial-access-token-hashes}).
 */
@ApplicationScoped
public class InitialAccessTokens {

    private static final String KEY = "auth:iat:";

    /** KEYS[1] the token's key. Spends one use; 1 when there was one, else 0. */
    private static final LuaScript SPEND = new LuaScript("""
            local left = tonumber(redis.call('GET', KEYS[1]) or '0')
            if left <= 0 then return 0 end
            if left == 1 then redis.call('DEL', KEYS[1]) else redis.call('DECR', KEYS[1]) end
            return 1
            """);

    /** A minted token, shown once. */
    @RegisterForReflection
    public record Minted(@JsonProperty("initial_access_token") String token,
                         @JsonProperty("expires_at") long expiresAt,
                         @JsonProperty("max_uses") int maxUses) {
    }

    private final RedisDataSource redis;
    private final OpaqueTokens tokens;
    private final Set<String> configured;
    private final Clock clock = Clock.systemUTC();

    public InitialAccessTokens(RedisDataSource redis, OpaqueTokens tokens, AuthConfig config) {
        this.redis = redis;
        this.tokens = tokens;
        this.configured = config.registration().initialAccessTokenHashes().orElse(Set.of());
    }

    public Minted mint(Duration ttl, int maxUses) {
        String token = tokens.next();
        redis.value(String.class).setex(KEY + OpaqueTokens.hash(token), ttl.toSeconds(), Integer.toString(maxUses));
        return new Minted(token, clock.instant().plus(ttl).getEpochSecond(), maxUses);
    }

    /** Whether {@code token} may register a client, without spending it: checked before the metadata is. */
    public boolean isValid(String token) {
        return isConfigured(token) || (OpaqueTokens.looksValid(token)
                && redis.key().exists(KEY + OpaqueTokens.hash(token)));
    }

    /** Spends one registration of {@code token}; false when it has none left (or never had). */
    public boolean spend(String token) {
        if (isConfigured(token)) {
            return true;
        }
        return OpaqueTokens.looksValid(token)
                && SPEND.run(redis, List.of(KEY + OpaqueTokens.hash(token)), List.of()).toLong() == 1;
    }

    private boolean isConfigured(String token) {
        boolean matched = false;
        for (String hash : configured) {
            // Every configured hash is compared, in constant time each.
            matched |= ClientSecrets.matches(token, hash);
        }
        return matched;
    }
}
