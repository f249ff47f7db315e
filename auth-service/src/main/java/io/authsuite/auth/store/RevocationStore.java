package io.authsuite.auth.store;

import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * Revoked access tokens, for every verifier: an entry names a token ({@code jti:<jti>}), every token of a subject
 * issued up to a moment ({@code sub:<subject>:<epoch seconds>}) or every token signed by a key ({@code kid:<kid>}).
 *
 * <p>Entries live in the sorted set {@code auth:denied} scored by when they stop mattering (the last {@code exp}
 * they can cover), so a verifier can load the whole set, and are appended to the stream {@code auth:revocations},
 * which resource services follow to refuse revoked tokens within a second without a call on the request path.
 * The format is shared with {@code io.authsuite.resourceserver.security.DenyList}.
 *
 * <p>This server's own checks of a subject read one small key each: {@code auth:denied-subject:<subject>} (tokens
 * issued up to an epoch second are refused) and {@code auth:withdrawn-grants:<subject>} (codes and device approvals
 * made up to an epoch millisecond are refused), each expiring when nothing it covers can still be presented.
 */
@ApplicationScoped
public class RevocationStore {

    public static final String DENIED = "auth:denied";
    public static final String STREAM = "auth:revocations";
    private static final String SUBJECT = "auth:denied-subject:";
    private static final String GRANTS = "auth:withdrawn-grants:";

    /** KEYS[1] a cut-off key; ARGV[1] the cut-off, ARGV[2] its TTL in seconds. Moves the cut-off forward only. */
    private static final LuaScript RAISE = new LuaScript("""
            local v = redis.call('GET', KEYS[1])
            if v and tonumber(v) >= tonumber(ARGV[1]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
            return 1
            """);

    private final RedisDataSource redis;

    public RevocationStore(RedisDataSource redis) {
        this.redis = redis;
    }

    /** Denies one access token until it would have expired anyway. */
    public void denyToken(String jti, long exp) {
        deny("jti:" + jti, exp);
    }

    /** Denies every token of {@code subject} issued at or before {@code at}, for as long as such a token can live. */
    public void denySubject(String subject, Instant at, long maxTokenLifetime) {
        long until = at.getEpochSecond() + maxTokenLifetime;
        long ttl = until - Instant.now().getEpochSecond();
        if (ttl > 0) {
            RAISE.run(redis, java.util.List.of(SUBJECT + subject), java.util.List.of(Long.toString(at.getEpochSecond()),
                    Long.toString(ttl)));
        }
        deny("sub:" + subject + ":" + at.getEpochSecond(), until);
    }

    /**
     * Withdraws every authorization code and device approval of {@code subject} made up to now, for {@code keep}
     * (the longest any of them lives): "log out everywhere" must not leave a pending approval to be redeemed later.
     */
    public void withdrawGrants(String subject, java.time.Duration keep) {
        RAISE.run(redis, java.util.List.of(GRANTS + subject), java.util.List.of(
                Long.toString(Instant.now().toEpochMilli()), Long.toString(Math.max(1, keep.toSeconds()))));
    }

    /** True when a code or approval of {@code subject} made at {@code madeAtMillis} was withdrawn since. */
    public boolean isGrantWithdrawn(String subject, long madeAtMillis) {
        String at = redis.value(String.class).get(GRANTS + subject);
        return at != null && Long.parseLong(at) >= madeAtMillis;
    }

    /** Denies every token signed with a key (the key is retired). */
    public void denyKey(String kid, long until) {
        deny("kid:" + kid, until);
    }

    public boolean isTokenDenied(String jti) {
        return redis.sortedSet(String.class).zscore(DENIED, "jti:" + jti).isPresent();
    }

    public boolean isKeyDenied(String kid) {
        return redis.sortedSet(String.class).zscore(DENIED, "kid:" + kid).isPresent();
    }

    /** True when a subject-wide revocation covers a token of {@code subject} issued at {@code iat}. */
    public boolean isSubjectDenied(String subject, long iat) {
        String upTo = redis.value(String.class).get(SUBJECT + subject);
        return upTo != null && Long.parseLong(upTo) >= iat;
    }

    private void deny(String entry, long until) {
        long now = Instant.now().getEpochSecond();
        if (until <= now) {
            return;
        }
        redis.withTransaction(tx -> {
            tx.sortedSet(String.class).zadd(DENIED, until, entry);
            tx.sortedSet(String.class).zremrangebyscore(DENIED,
                    ScoreRange.from(Double.NEGATIVE_INFINITY, (double) now));
            tx.stream(String.class).xadd(STREAM, new XAddArgs().maxlen(100_000L).nearlyExactTrimming(),
                    Map.of("entry", entry, "until", Long.toString(until)));
        });
    }
}
