package io.authsuite.auth.store;

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
 */
@ApplicationScoped
public class RevocationStore {

    public static final String DENIED = "auth:denied";
    public static final String STREAM = "auth:revocations";

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
        deny("sub:" + subject + ":" + at.getEpochSecond(), at.getEpochSecond() + maxTokenLifetime);
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
        String prefix = "sub:" + subject + ":";
        return redis.sortedSet(String.class).zrangebyscore(DENIED,
                        ScoreRange.from((double) Instant.now().getEpochSecond(), Double.POSITIVE_INFINITY))
                .stream().filter(m -> m.startsWith(prefix))
                .anyMatch(m -> Long.parseLong(m.substring(prefix.length())) >= iat);
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
