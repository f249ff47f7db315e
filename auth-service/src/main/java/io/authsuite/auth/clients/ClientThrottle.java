package io.authsuite.auth.clients;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.redis.EventLoopRedis;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Abuse limits at the token, revocation, introspection and device-authorization endpoints, shared by every replica
 * through Redis: failed client authentications per caller (client id and source address together) and per source
 * address. (Token requests per client per minute: {@link ClientRates}.)
 *
 * <p>A failing caller only slows itself down: after {@code client-auth-failures-before-backoff} failures each further
 * one doubles its wait (1 s, 2 s, 4 s, ... up to {@code client-auth-max-backoff}), and an address that fails too often
 * for any client id is refused as a whole. Nobody else's failures can refuse a caller that presents the right
 * credentials from another address. The verdict is given after the credentials were checked, in the same round
 * trip that records the outcome, and is the same whether they were right or wrong, so a throttled caller learns
 * nothing from its guesses. The right secret from an address without recent failures at any replica settles without
 * that round trip ({@link FailureWatch}).
 *
 * <p>Fixed-window counters, the Redis INCR + EXPIRE rate-limiter pattern made atomic in one script; a rate-limiting
 * library (Bucket4j's Redis backends) would have brought a second Redis client next to Quarkus'. Past a limit the
 * answer is 429 with {@code Retry-After}.
 */
@ApplicationScoped
public class ClientThrottle {

    /** Every key of one address shares a hash tag, so the script touches one slot of a Redis Cluster. */
    private static final String AUTH = "auth:client-auth:{";
    /** Longest client id kept in a key; longer claimed ids are cut (and cannot be registered ids anyway). */
    private static final int MAX_ID_IN_KEY = 200;

    /**
     * KEYS[1] the address' failures, KEYS[2] the caller's failures, KEYS[3] the caller's backoff.
     * ARGV[1] 1 if the credentials were right, 0 if wrong; ARGV[2] window seconds; ARGV[3] failures before backoff;
     * ARGV[4] failures per address; ARGV[5] longest backoff in ms.
     * Returns {0} to go on, {1, ms} while the caller backs off, {2, ms} while the address is over its limit.
     */
    private static final LuaScript SETTLE = new LuaScript("""
            local wait = redis.call('PTTL', KEYS[3])
            if wait > 0 then return {1, wait} end
            if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[4]) then
              return {2, redis.call('PTTL', KEYS[1])}
            end
            if ARGV[1] == '1' then
              if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DEL', KEYS[2]) end
              return {0}
            end
            if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2])) end
            local n = redis.call('INCR', KEYS[2])
            redis.call('EXPIRE', KEYS[2], tonumber(ARGV[2]))
            local free = tonumber(ARGV[3])
            if n >= free then
              redis.call('SET', KEYS[3], '1', 'PX', math.min(1000 * 2 ^ math.min(n - free, 30), tonumber(ARGV[5])))
            end
            return {0}
            """);

    private final RedisDataSource redis;
    private final EventLoopRedis reactive;
    private final AuthConfig.Limits limits;
    private final FailureWatch watch;

    public ClientThrottle(RedisDataSource redis, EventLoopRedis reactive, AuthConfig config,
                          FailureWatch watch) {
        this.watch = watch;
        this.redis = redis;
        this.reactive = reactive;
        this.limits = config.limits();
    }

    /**
     * Records the outcome of one client authentication from {@code address} and refuses (429) a caller that is
     * backing off or an address over its limit, whatever the outcome.
     *
     * @param claimedId the client id the request named, null when it named none
     */
    public Uni<Void> settle(String claimedId, String address, boolean authenticated) {
        if (authenticated && watch.isClear(address)) {
            // RFC 6749 §10.10 asks to slow down guessing: with no failure from this address within the window at any
            // replica, no backoff and no address limit can refuse this caller, so the script would only say "go on".
            return Uni.createFrom().voidItem();
        }
        String id = claimedId == null ? "" : claimedId.length() > MAX_ID_IN_KEY
                ? claimedId.substring(0, MAX_ID_IN_KEY) : claimedId;
        String tag = AUTH + address + "}";
        Uni<Response> settled = SETTLE.run(reactive.current(), List.of(tag, tag + ":id:" + id, tag + ":wait:" + id),
                List.of(authenticated ? "1" : "0", Long.toString(limits.window().toSeconds()),
                        Integer.toString(limits.clientAuthFailuresBeforeBackoff()),
                        Integer.toString(limits.clientAuthFailuresPerAddress()),
                        Long.toString(limits.clientAuthMaxBackoff().toMillis())));
        if (!authenticated) {
            settled = settled.call(() -> watch.failed(address));
        }
        return settled.invoke(ClientThrottle::verdict).replaceWithVoid();
    }

    private static void verdict(Response r) {
        long verdict = r.get(0).toLong();
        if (verdict == 1) {
            // RFC 6749 §10.10: slow down guessing of credentials; only the failing caller waits.
            throw tooMany(r.get(1).toLong(), "too many failed authentications; retry later");
        }
        if (verdict == 2) {
            throw tooMany(r.get(1).toLong(), "too many failed client authentications from this address");
        }
    }

    /** KEYS[1] counter of one minute; ARGV[1] its window. Returns {count, ms left}. */
    private static final LuaScript COUNT = new LuaScript("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
            return {n, redis.call('PTTL', KEYS[1])}
            """);

    /** Counts a device authorization request from {@code address}; 429 past the address' limit per minute. */
    public void deviceAuthorization(String address) {
        Response r = COUNT.run(redis, List.of("auth:device-auth:{" + address + "}"), List.of("60"));
        if (r.get(0).toLong() > limits.deviceAuthorizationsPerAddress()) {
            // RFC 8628 §5.2: device codes are a resource an attacker can exhaust; limit their issuance per caller.
            throw tooMany(r.get(1).toLong(), "too many device authorization requests from this address");
        }
    }

    /** 429 for a limit that lifts in {@code waitMillis}; shared with {@link ClientRates}. */
    static OAuthError tooMany(long waitMillis, String description) {
        // RFC 6585 §4: 429 Too Many Requests, with Retry-After in whole seconds, rounded up.
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new OAuthError(429, "temporarily_unavailable", description, Map.of("Retry-After", Long.toString(seconds)));
    }
}
