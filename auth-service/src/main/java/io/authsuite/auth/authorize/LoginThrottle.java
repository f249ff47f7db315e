package io.authsuite.auth.authorize;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Limits guesses of a secret a person types, per account and per source address, with fixed windows in Redis shared
 * by every replica (RFC 9700 §4.1 spirit; OWASP credential-stuffing guidance; RFC 8628 §5.1 for user codes).
 *
 * <p>Each attempt is counted <em>before</em> the secret is checked, in one script that refuses it when either budget
 * is spent, so N parallel guesses cannot slip through between a check and a count. An attempt that turns out right
 * gives its count back ({@link Attempt#succeeded()}); a wrong one keeps it. Counter and expiry are set together, so
 * no counter outlives its window. Each kind of secret has its own key namespace: a device user-code budget can never
 * be spent by signing in as a user who happens to be called {@code device:...}.
 *
 * <p>A per-account limit lets anyone lock anyone out by sending wrong passwords. So a password typed in a browser where
 * the account signed in before ({@link KnownBrowsers}) is counted against that browser's own budget instead of the
 * account's and the address', and the owner keeps signing in there while the account is under attack from elsewhere
 * (OWASP Authentication Cheat Sheet, "device cookies").
 */
@ApplicationScoped
public class LoginThrottle {

    /** What is being guessed; each has its own budgets. */
    public enum Kind {
        /** A password at the sign-in form; the account is the canonical username. */
        PASSWORD("auth:login-fail:password:"),
        /** A device user code typed at the device page; the account is the signed-in subject. */
        USER_CODE("auth:login-fail:user-code:");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * KEYS[1] one budget's counter, KEYS[2] (optional) a record that must hold ARGV[3] for the budget to apply;
     * ARGV[1] its limit, ARGV[2] window seconds. Returns -1 when the attempt was counted, -2 when the record is absent
     * or holds another value (not counted), else the seconds until the budget is renewed.
     */
    private static final LuaScript TAKE = new LuaScript("""
            if KEYS[2] and redis.call('GET', KEYS[2]) ~= ARGV[3] then return -2 end
            if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
              return math.max(redis.call('TTL', KEYS[1]), 1)
            end
            if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2])) end
            return -1
            """);

    /** KEYS[1] one budget's counter; ARGV[1] 1 to forget every failure in it, 0 to give one attempt back. */
    private static final LuaScript GIVE_BACK = new LuaScript("""
            if ARGV[1] == '1' then return redis.call('DEL', KEYS[1]) end
            if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
            return 0
            """);

    private final RedisDataSource redis;
    private final AuthConfig.Login config;

    public LoginThrottle(RedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.config = config.login();
    }

    /** One counted attempt; say how it ended so that a right answer does not use up the budget. */
    public final class Attempt {
        private final Kind kind;
        private final String accountKey;
        /** Null when the attempt was counted against a known browser's budget alone. */
        private final String addressKey;

        private Attempt(Kind kind, String accountKey, String addressKey) {
            this.kind = kind;
            this.accountKey = accountKey;
            this.addressKey = addressKey;
        }

        /**
         * The secret was right: a password clears the failures of the budget it was counted against, a user code gives
         * its count back.
         */
        public void succeeded() {
            GIVE_BACK.run(redis, List.of(accountKey), List.of(kind == Kind.PASSWORD ? "1" : "0"));
            if (addressKey != null) {
                GIVE_BACK.run(redis, List.of(addressKey), List.of("0"));
            }
        }

        /** The secret was never checked (the server was busy): the attempt costs nothing. */
        public void notChecked() {
            GIVE_BACK.run(redis, List.of(accountKey), List.of("0"));
            if (addressKey != null) {
                GIVE_BACK.run(redis, List.of(addressKey), List.of("0"));
            }
        }
    }

    /** A refused attempt and the seconds until one may be made again. */
    public static final class Refused extends RuntimeException {
        private final long retryAfter;

        Refused(long retryAfter) {
            super(null, null, false, false);
            this.retryAfter = retryAfter;
        }

        public long retryAfter() {
            return retryAfter;
        }
    }

    /**
     * Counts one attempt at guessing {@code kind} for {@code account} from {@code address}, before the secret is
     * checked.
     *
     * @param account the canonical username, or the subject for user codes
     * @throws Refused when the account's or the address' budget for this window is spent
     */
    public Attempt attempt(Kind kind, String account, String address) {
        return attempt(kind, account, address, null, null);
    }

    /**
     * As {@link #attempt(Kind, String, String)}, from a browser that sent the known-browser value {@code browser} (or
     * null). When the account signed in there before with the credential it still has ({@code credentialStamp}; for no
     * such account, one that no record holds), only that browser's own budget counts.
     */
    public Attempt attempt(Kind kind, String account, String address, String browser, String credentialStamp) {
        String known = KnownBrowsers.wellFormed(browser);
        if (known != null && credentialStamp != null) {
            String hash = OpaqueTokens.hash(known);
            String browserKey = kind.prefix + "browser:{" + hash + "}:" + account;
            // The browser's record and its counter share a hash tag: one script on Redis Cluster too.
            long wait = TAKE.run(redis, List.of(browserKey, KnownBrowsers.key(hash, account)),
                    List.of(Integer.toString(config.maxFailuresPerUser()), Long.toString(config.window().toSeconds()),
                            credentialStamp))
                    .toLong();
            if (wait >= 0) {
                throw new Refused(wait);
            }
            if (wait == -1) {
                return new Attempt(kind, browserKey, null);
            }
        }
        // One key per script call: the account's and the address' counters live in different Redis Cluster slots.
        String accountKey = kind.prefix + "account:" + account;
        String addressKey = kind.prefix + "address:" + address;
        String window = Long.toString(config.window().toSeconds());
        long wait = TAKE.run(redis, List.of(accountKey), List.of(Integer.toString(config.maxFailuresPerUser()), window))
                .toLong();
        if (wait < 0) {
            wait = TAKE.run(redis, List.of(addressKey), List.of(Integer.toString(config.maxFailuresPerIp()), window))
                    .toLong();
            if (wait >= 0) {
                GIVE_BACK.run(redis, List.of(accountKey), List.of("0"));
            }
        }
        if (wait >= 0) {
            throw new Refused(wait);
        }
        return new Attempt(kind, accountKey, addressKey);
    }
}
