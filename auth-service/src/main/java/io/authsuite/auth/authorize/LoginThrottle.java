package io.authsuite.auth.authorize;

import io.authsuite.auth.config.AuthConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Limits failed sign-ins per username and per client IP with fixed windows in Redis (shared by every replica):
 * past the limit, sign-in is refused until the window ends, whatever the password (RFC 9700 §4.1 spirit; OWASP
 * credential-stuffing guidance).
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String USER = "auth:login-fail:user:";
    private static final String IP = "auth:login-fail:ip:";

    private final RedisDataSource redis;
    private final ValueCommands<String, Long> counters;
    private final AuthConfig config;

    public LoginThrottle(RedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.counters = redis.value(Long.class);
        this.config = config;
    }

    /** Seconds until sign-in may be tried again, when either limit is reached. */
    public OptionalLong blockedFor(String username, String ip) {
        long user = remaining(USER + key(username), config.login().maxFailuresPerUser());
        long addr = remaining(IP + ip, config.login().maxFailuresPerIp());
        long wait = Math.max(user, addr);
        return wait > 0 ? OptionalLong.of(wait) : OptionalLong.empty();
    }

    public void failed(String username, String ip) {
        count(USER + key(username));
        count(IP + ip);
    }

    public void succeeded(String username) {
        redis.key().del(USER + key(username));
    }

    private void count(String key) {
        long n = counters.incr(key);
        if (n == 1) {
            redis.key().expire(key, config.login().window());
        }
    }

    private long remaining(String key, int limit) {
        Long failures = counters.get(key);
        if (failures == null || failures < limit) {
            return 0;
        }
        long ttl = redis.key().ttl(key);
        return ttl > 0 ? ttl : config.login().window().toSeconds();
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
