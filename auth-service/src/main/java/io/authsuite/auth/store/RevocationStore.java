package io.authsuite.auth.store;

import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Revoked access tokens, for every verifier: an entry names a token ({@code jti:<jti>}), every token of a subject
 * issued up to a moment ({@code sub:<subject>:<epoch seconds>}), every token issued to a client up to a moment
 * ({@code client:<client id>:<epoch seconds>}, a disabled or deleted client) or every token signed by a key
 * ({@code kid:<kid>}).
 *
 * <p>Entries live in the sorted set {@code auth:denied} scored by when they stop mattering (the last {@code exp}
 * they can cover), so a verifier can load the whole set, and are appended to the stream {@code auth:revocations},
 * which resource services follow to refuse revoked tokens within a second without a call on the request path.
 * The format is shared with {@code io.authsuite.resourceserver.security.DenyList}.
 *
 * <p>This server's own checks of a subject read one small key each: {@code auth:denied-subject:<subject>} (tokens
 * issued up to an epoch second are refused) and {@code auth:withdrawn-grants:<subject>} (codes and device approvals
 * made up to an epoch millisecond are refused), each expiring when nothing it covers can still be presented.
 *
 * <p>Every write here is {@linkplain DurableWrites durable}: a revocation acknowledged to its caller must not be undone
 * by a Redis failover (RFC 7009 §2.2: the token is invalid once the server answers 200).
 */
@ApplicationScoped
public class RevocationStore {

    private static final String SUBJECT = "auth:denied-subject:";
    private static final String CLIENT = "auth:denied-client:";
    private static final String GRANTS = "auth:withdrawn-grants:";
    private static final String LOOSE = "auth:subject-access-tokens:";
    /** Access tokens exchanged (RFC 8693) from one access token, as "jti|exp": they go when it is revoked. */
    private static final String EXCHANGED = "auth:exchanged:";

    /** KEYS[1] a cut-off key; ARGV[1] the cut-off, ARGV[2] its TTL in seconds. Moves the cut-off forward only. */
    private static final LuaScript RAISE = new LuaScript("""
            local v = redis.call('GET', KEYS[1])
            if v and tonumber(v) >= tonumber(ARGV[1]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
            return 1
            """);

    /**
     * KEYS[1] the deny set, KEYS[2] its stream; ARGV[1] entry, ARGV[2] until (epoch s), ARGV[3] now. One command, so
     * that it can run on the connection a durable write waits on.
     */
    private static final LuaScript DENY = new LuaScript("""
            redis.call('ZADD', KEYS[1], tonumber(ARGV[2]), ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', '100000', '*', 'entry', ARGV[1], 'until', ARGV[2])
            return 1
            """);

    private final RedisDataSource redis;
    private final DurableWrites durable;

    private final String denied;
    private final String stream;

    public RevocationStore(RedisDataSource redis, DurableWrites durable, KeyLayout layout) {
        this.redis = redis;
        this.durable = durable;
        this.denied = layout.denied();
        this.stream = layout.revocationStream();
    }

    /** Denies one access token until it would have expired anyway, with the tokens exchanged from it. */
    public void denyToken(String jti, long exp) {
        denyTokens(java.util.Map.of(jti, exp));
    }

    /**
     * Denies several access tokens ({@code jti -> exp}) with one wait for the replicas, and every token exchanged from
     * them: a token obtained on behalf of a person with a revoked token must not outlive the revocation.
     */
    public void denyTokens(java.util.Map<String, Long> expiries) {
        if (expiries.isEmpty()) {
            return;
        }
        // Each generation is denied before its exchanges are read: an exchange records its token first and then looks
        // whether the subject token is denied (TokenExchangeGrant), so either that look sees this denial or the read
        // below sees its record. Exchanges can nest (a service exchanging an exchanged token): generation by
        // generation, each token once.
        java.util.Set<String> seen = new java.util.HashSet<>(expiries.keySet());
        java.util.Map<String, Long> generation = new java.util.LinkedHashMap<>(expiries);
        while (!generation.isEmpty()) {
            java.util.Map<String, Long> denyNow = generation;
            durable.run(redis, ds -> denyNow.forEach((jti, exp) -> deny(ds, "jti:" + jti, exp)));
            java.util.Map<String, Long> next = new java.util.LinkedHashMap<>();
            for (String subjectJti : denyNow.keySet()) {
                for (String entry : redis.set(String.class).smembers(EXCHANGED + subjectJti)) {
                    int bar = entry.indexOf('|');
                    String jti = entry.substring(0, bar);
                    if (seen.add(jti)) {
                        next.put(jti, Long.parseLong(entry.substring(bar + 1)));
                    }
                }
            }
            generation = next;
        }
    }

    /**
     * KEYS[1] the subject token's exchange set; ARGV[1] "jti|exp" of the exchanged token, ARGV[2] seconds to keep the
     * set: the exchanged token never outlives the subject token, so neither does the set.
     */
    private static final LuaScript RECORD_EXCHANGE = new LuaScript("""
            redis.call('SADD', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
            return 1
            """);

    /** Remembers that {@code exchangedJti} was issued by token exchange from {@code subjectJti}, until it expires. */
    public void recordExchange(String subjectJti, String exchangedJti, long exp) {
        String key = EXCHANGED + subjectJti;
        long ttl = Math.max(1, exp - Instant.now().getEpochSecond());
        // Durable as the denials are: a record lost in a failover would let the exchanged token outlive a revocation.
        // A script, not a transaction: a transaction takes a connection of its own, and the WAIT would be on another.
        durable.run(redis, ds -> RECORD_EXCHANGE.run(ds, List.of(key),
                List.of(exchangedJti + "|" + exp, Long.toString(ttl + 60))));
    }

    /**
     * KEYS[1] a person's access tokens outside any refresh-token family; ARGV[1] jti, ARGV[2] its exp, ARGV[3] now,
     * ARGV[4] seconds to keep the set at least. Expired members leave as new ones come.
     */
    private static final LuaScript RECORD_LOOSE = new LuaScript("""
            redis.call('ZADD', KEYS[1], tonumber(ARGV[2]), ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
            if redis.call('TTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4])) end
            return 1
            """);

    /**
     * Records, before it is signed, an access token of {@code subject} that joins no refresh-token family (its client
     * has no refresh grant), until it expires: "log out everywhere" and a change of roles deny it from here
     * ({@link #denyAccessTokensOutsideFamilies}), as they deny a family's tokens from the family.
     */
    public void recordAccessTokenOutsideFamilies(String subject, String jti, long exp) {
        long now = Instant.now().getEpochSecond();
        durable.run(redis, ds -> RECORD_LOOSE.run(ds, List.of(LOOSE + subject),
                List.of(jti, Long.toString(exp), Long.toString(now), Long.toString(Math.max(1, exp - now) + 60))));
    }

    /** Denies every unexpired access token recorded by {@link #recordAccessTokenOutsideFamilies} for the person. */
    public void denyAccessTokensOutsideFamilies(String subject) {
        java.util.Map<String, Long> live = new java.util.LinkedHashMap<>();
        long now = Instant.now().getEpochSecond();
        redis.sortedSet(String.class).zrangebyscoreWithScores(LOOSE + subject,
                        new io.quarkus.redis.datasource.sortedset.ScoreRange<>((double) now, Double.POSITIVE_INFINITY))
                .forEach(v -> live.put(v.value(), (long) v.score()));
        denyTokens(live);
    }

    /** Denies every token of {@code subject} issued at or before {@code at}, for as long as such a token can live. */
    public void denySubject(String subject, Instant at, long maxTokenLifetime) {
        denyUpTo(SUBJECT + subject, "sub:" + subject, at, maxTokenLifetime);
    }

    /**
     * A cut-off: this server's own check reads {@code cutOffKey}, the other verifiers the feed's entry
     * {@code <entry>:<epoch seconds>}; both last as long as a token issued at {@code at} can.
     */
    private void denyUpTo(String cutOffKey, String entry, Instant at, long maxTokenLifetime) {
        long until = at.getEpochSecond() + maxTokenLifetime;
        long ttl = until - Instant.now().getEpochSecond();
        durable.run(redis, ds -> {
            if (ttl > 0) {
                RAISE.run(ds, List.of(cutOffKey), List.of(Long.toString(at.getEpochSecond()), Long.toString(ttl)));
            }
            deny(ds, entry + ":" + at.getEpochSecond(), until);
        });
    }

    /**
     * Denies every token issued to {@code clientId} ({@code client_id}) at or before {@code at}, for as long as such a
     * token can live: a disabled client's tokens stop working everywhere within the feed's delay.
     */
    public void denyClient(String clientId, Instant at, long maxTokenLifetime) {
        denyUpTo(CLIENT + clientId, "client:" + clientId, at, maxTokenLifetime);
    }

    /** The iat up to which {@code clientId}'s tokens are denied, if a cut-off is in force. */
    public java.util.OptionalLong clientCutOff(String clientId) {
        String upTo = redis.value(String.class).get(CLIENT + clientId);
        return upTo == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(upTo));
    }

    /** True when a client-wide revocation covers a token issued to {@code clientId} at {@code iat}. */
    public boolean isClientDenied(String clientId, long iat) {
        if (clientId == null) {
            return false;
        }
        String upTo = redis.value(String.class).get(CLIENT + clientId);
        return upTo != null && Long.parseLong(upTo) >= iat;
    }

    /**
     * Withdraws every authorization code and device approval of {@code subject} made up to now, for {@code keep}
     * (the longest any of them lives): "log out everywhere" must not leave a pending approval to be redeemed later.
     */
    public void withdrawGrants(String subject, java.time.Duration keep) {
        durable.run(redis, ds -> RAISE.run(ds, List.of(GRANTS + subject), List.of(
                Long.toString(Instant.now().toEpochMilli()), Long.toString(Math.max(1, keep.toSeconds())))));
    }

    /** True when a code or approval of {@code subject} made at {@code madeAtMillis} was withdrawn since. */
    public boolean isGrantWithdrawn(String subject, long madeAtMillis) {
        String at = redis.value(String.class).get(GRANTS + subject);
        return at != null && Long.parseLong(at) >= madeAtMillis;
    }

    /** Denies every token signed with a key (the key is retired). */
    public void denyKey(String kid, long until) {
        durable.run(redis, ds -> deny(ds, "kid:" + kid, until));
    }

    public boolean isTokenDenied(String jti) {
        return redis.sortedSet(String.class).zscore(denied, "jti:" + jti).isPresent();
    }

    public boolean isKeyDenied(String kid) {
        return redis.sortedSet(String.class).zscore(denied, "kid:" + kid).isPresent();
    }

    /** True when a subject-wide revocation covers a token of {@code subject} issued at {@code iat}. */
    public boolean isSubjectDenied(String subject, long iat) {
        String upTo = redis.value(String.class).get(SUBJECT + subject);
        return upTo != null && Long.parseLong(upTo) >= iat;
    }

    /**
     * How long a deny entry outlives what it denies. The resource services accept a token until its {@code exp} plus
     * their clock skew ({@code mp.jwt.verify.clock.skew}: 30 s in this suite, 60 s by SmallRye's default), so an entry
     * that lapsed at {@code exp} would let a revoked token back in for that long (RFC 7009 §2: revoked at once).
     */
    static final long SKEW_MARGIN_SECONDS = 120;

    private void deny(RedisDataSource ds, String entry, long until) {
        long now = Instant.now().getEpochSecond();
        long kept = until + SKEW_MARGIN_SECONDS;
        if (kept > now) {
            DENY.run(ds, List.of(denied, stream), List.of(entry, Long.toString(kept), Long.toString(now)));
        }
    }
}
