package io.authsuite.auth.authorize;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Browsers where an account has signed in before (OWASP "device cookies"): an httpOnly cookie holds a random value,
 * and {@code auth:known-browser:{hash(value)}:<account>} records that the account signed in with it, for
 * {@code auth.login.known-browser-lifetime}. {@link LoginThrottle} gives such a browser a failure budget of its own,
 * so that wrong passwords sent for an account from anywhere else, which lock the account's shared budget, do not
 * lock its owner out of the browser they use.
 *
 * <p>Only the hash of the value is stored, and a record is only written after a right password: a value made up by
 * an attacker is an unknown browser, as is a value known for another account. The record holds the account's
 * {@linkplain io.authsuite.auth.users.UserStore#credentialStamp(String, String) credential stamp} and counts only
 * while it is still the account's: after a password reset (say, once the account was taken over) or a delete and a
 * new account under the same username, no browser of the old credential keeps a budget of its own.
 */
@ApplicationScoped
public class KnownBrowsers {

    private static final String PREFIX = "auth:known-browser:";

    private final RedisDataSource redis;
    private final OpaqueTokens tokens;
    private final AuthConfig.Login config;

    public KnownBrowsers(RedisDataSource redis, OpaqueTokens tokens, AuthConfig config) {
        this.redis = redis;
        this.tokens = tokens;
        this.config = config.login();
    }

    /**
     * The record of {@code browser} for {@code account}. The hash is a Redis Cluster hash tag, so this key and the
     * browser's failure counter ({@link LoginThrottle}) are read in one script.
     */
    static String key(String browserHash, String account) {
        return PREFIX + "{" + browserHash + "}:" + account;
    }

    /** The browser's value when it has the shape of one, else null: nothing else reaches Redis. */
    static String wellFormed(String browser) {
        return OpaqueTokens.looksValid(browser) ? browser : null;
    }

    /**
     * Records a right password for {@code account} in this browser and renews the record's lifetime. The browser keeps
     * its value, so one browser can be known to several accounts; a browser without one gets a new one.
     *
     * @param credentialStamp the stamp of the credential just verified
     * @return the value for the browser's cookie
     */
    public String remember(String account, String browser, String credentialStamp) {
        String value = wellFormed(browser) == null ? tokens.next() : browser;
        redis.value(String.class).setex(key(OpaqueTokens.hash(value), account), config.knownBrowserLifetime().toSeconds(),
                credentialStamp);
        return value;
    }
}
