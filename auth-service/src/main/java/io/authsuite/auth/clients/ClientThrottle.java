package io.authsuite.auth.clients;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Abuse limits at the token, revocation and introspection endpoints, shared by every replica through Redis:
 * failed client authentications per client id and per source address, and token requests per client per minute.
 *
 * <p>Fixed-window counters, the Redis INCR + EXPIRE rate-limiter pattern made atomic in one script; a rate-limiting
 * library (Bucket4j's Redis backends) would have brought a second Redis client next to Quarkus'. Past a limit the
 * answer is 429 with {@code Retry-After} until the window ends.
 */
@ApplicationScoped
public class ClientThrottle {

    private static final String FAILURES_CLIENT = "auth:client-fail:id:";
    private static final String FAILURES_ADDRESS = "auth:client-fail:ip:";
    private static final String REQUESTS = "auth:client-rate:";

    /** KEYS[1], KEYS[2] failure counters: their counts and ttls in one round trip. */
    private static final LuaScript READ_TWO = new LuaScript("""
            return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('TTL', KEYS[1]),
                    tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('TTL', KEYS[2])}
            """);

    /** KEYS[1] counter; ARGV[1] window seconds; ARGV[2] 1 to count, 0 to only read. Returns {count, ttl}. */
    private static final LuaScript COUNT = new LuaScript("""
            local n
            if ARGV[2] == '1' then
              n = redis.call('INCR', KEYS[1])
              if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
            else
              n = tonumber(redis.call('GET', KEYS[1]) or '0')
            end
            return {n, redis.call('TTL', KEYS[1])}
            """);

    private final RedisDataSource redis;
    private final AuthConfig.Limits limits;

    public ClientThrottle(RedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.limits = config.limits();
    }

    /** Refuses (429) when this client id or address has failed to authenticate too often. */
    public void checkAuthentication(String clientId, String address) {
        Response r = READ_TWO.run(redis, List.of(FAILURES_CLIENT + (clientId == null ? "" : clientId),
                FAILURES_ADDRESS + address), List.of());
        long window = limits.window().toSeconds();
        if (clientId != null && r.get(0).toLong() >= limits.clientAuthFailuresPerClient()) {
            throw tooMany(r.get(1).toLong(), window, "too many failed authentications for this client");
        }
        if (r.get(2).toLong() >= limits.clientAuthFailuresPerAddress()) {
            throw tooMany(r.get(3).toLong(), window, "too many failed client authentications from this address");
        }
    }

    public void authenticationFailed(String clientId, String address) {
        long window = limits.window().toSeconds();
        if (clientId != null) {
            count(FAILURES_CLIENT + clientId, window, true);
        }
        count(FAILURES_ADDRESS + address, window, true);
    }

    /** Counts a token request of an authenticated client; 429 beyond its rate. */
    public void tokenRequest(RegisteredClient client) {
        int perMinute = client.tokenRequestsPerMinute().orElse(limits.tokenRequestsPerMinute());
        refuseOver(REQUESTS + client.id(), Duration.ofMinutes(1).toSeconds(), perMinute, true,
                "too many token requests for this client");
    }

    private void refuseOver(String key, long window, int limit, boolean increment, String description) {
        long[] state = count(key, window, increment);
        // Reading: refuse once the limit is reached; counting: refuse the request that goes past it.
        boolean over = increment ? state[0] > limit : state[0] >= limit;
        if (over) {
            throw tooMany(state[1], window, description);
        }
    }

    private static OAuthError tooMany(long ttl, long window, String description) {
        // RFC 6585 §4: 429 Too Many Requests, with Retry-After.
        return new OAuthError(429, "temporarily_unavailable", description,
                Map.of("Retry-After", Long.toString(ttl > 0 ? ttl : window)));
    }

    private long[] count(String key, long window, boolean increment) {
        Response reply = COUNT.run(redis, List.of(key), List.of(Long.toString(window), increment ? "1" : "0"));
        return new long[] {reply.get(0).toLong(), reply.get(1).toLong()};
    }
}
