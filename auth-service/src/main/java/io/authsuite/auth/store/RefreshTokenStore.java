package io.authsuite.auth.store;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.EventLoopRedis;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refresh tokens, grouped into families (one family per grant, as node-oidc-provider models them).
 *
 * <p>Keys: {@code auth:rt:<hash>} one token (family, client, state, expiry; never the token itself) and
 * {@code auth:rtf:<family>} the family (client, subject, scope, first-issue time, absolute expiry, rotation count,
 * current token, revoked flag). The sorted set {@code auth:subject-family-expiry:<sub>} (family → its absolute expiry)
 * and the set {@code auth:session-families:<ref>} find the families of a person or a login session; the set
 * {@code auth:subject-families:<sub>} that the person's index was before is kept beside it for one release. A
 * consumed token is kept until the family expires, so
 * that presenting it again is recognised as reuse.
 *
 * <p>A token is {@code <family>.<secret>}: its family's id travels with it, so the keys of a family can carry the
 * family as hash tag on Redis Cluster ({@code auth:{<family>}:rt:<hash>}, {@link KeyLayout}) and rotation, which
 * touches the presented token, its successor and the family in one script, stays within one slot. Tokens issued
 * before the family was part of the value (43 characters, no dot) still work on one server or behind Sentinels,
 * where keys carry no tag.
 *
 * <p>Consuming a token (rotation, reuse detection) and revoking a family are {@linkplain DurableWrites durable}: after
 * a failover that lost them, a consumed token could be presented again without being recognised as reuse
 * (RFC 9700 §4.14.2), or a revoked family would live on.
 */
@ApplicationScoped
public class RefreshTokenStore {

    static final String TOKEN = "rt:";
    static final String FAMILY = "rtf:";
    private static final Logger LOG = Logger.getLogger(RefreshTokenStore.class);
    static final String BY_SUBJECT = "auth:subject-family-expiry:";
    /**
     * The person's index as the previous version keeps it, a plain set: still written beside the sorted set for one
     * release (rolling updates), and read.
     */
    static final String BY_SUBJECT_BEFORE = "auth:subject-families:";
    static final String BY_SESSION = "auth:session-families:";
    static final String ACCESS_TOKENS = "rtf-jti:";
    private static final java.util.regex.Pattern FORMAT =
            java.util.regex.Pattern.compile("([A-Za-z0-9_-]{22})\\.[A-Za-z0-9_-]{43}");

    /**
     * KEYS[1] presented token. ARGV: 1 now (epoch s), 2 hash of the new token, 3 expected client, 4 family prefix,
     * 5 token prefix, 6 access-token set prefix, 7 "jti|exp" of the access token issued with this rotation, 8 the
     * family the token names ('' for a token from before families were named in it), 9 the DPoP key the request proved
     * ('' for none), 10 the client's cut-off: families begun up to that epoch millisecond are revoked (the client was
     * disabled or re-created since), 11 the DPoP key an unbound family is bound to from this rotation on ('' for
     * none: a confidential client, or no proof), 12 '1' when a consumed token is reuse even within the reuse grace
     * (the request is not one its first use could have been). The other keys are computed from the family; they share the presented token's
     * hash slot. The user is read only where every key is on one node (one server or Sentinels): on Redis Cluster it
     * lives in a slot of its own.
     *
     * <p>What is the same for every call (the token's lifetime, the reuse grace, the access-token set's lifetime, the
     * user's key prefix and fields) is written into the script's text by {@link #rotateScript}, not passed: each
     * argument costs Redis' one thread about 0.4 µs to take in (20 arguments against 10, replayed on Redis 7.0: 7-9 µs
     * a call), as much as a command inside the script.
     */
    private static final String ROTATE = """
            local t = KEYS[1]
            local now = tonumber(ARGV[1])
            local tk = redis.call('HMGET', t, 'family', 'client', 'state', 'expires', 'consumedAt', 'next', 'graceUsed', 'bound')
            local fam = tk[1]
            if not fam or (ARGV[8] ~= '' and fam ~= ARGV[8]) then return {'UNKNOWN'} end
            -- RFC 6749 §6: the token was issued to this client, or it is refused (and stays usable by its owner).
            if tk[2] ~= ARGV[3] then return {'WRONG_CLIENT'} end
            local fk = ARGV[4] .. fam
            local f = redis.call('HMGET', fk, 'revoked', 'absoluteExpiry', 'current', 'scope', 'subject', 'sessionRef', 'authTime', 'jkt', 'created', 'createdMs', 'rotations', 'boundAt', 'denyPending')
            -- A revocation whose denial of the family's access tokens did not finish says so (denyPending): whoever
            -- presents one of its tokens next finishes it.
            if not f[2] or f[1] == '1' then return {'REVOKED', fam, f[13] or '', f[5] or ''} end
            local begun = tonumber(f[10] or '0')
            if begun == 0 then begun = tonumber(f[9] or '0') * 1000 end
            -- RFC 7009 §2.1 in spirit: a client disabled or re-created since the family began takes its grants along.
            if begun <= tonumber(ARGV[10]) then return {'REVOKED', fam} end
            -- A family bound to a DPoP key is refused to anyone who cannot prove that key, before anything changes:
            -- a thief without the key can neither use the token nor burn the family by replaying it. A token issued
            -- before a family was bound on its way (boundAt; tokens issued since carry 'bound') was a bearer token,
            -- though: presented again it is reuse, whoever sends it, or a thief who bound the family first would be
            -- safe from the reuse check.
            if f[8] and f[8] ~= '' and f[8] ~= ARGV[9] then
              if tk[3] == 'consumed' and f[12] and tk[8] ~= '1' then
                redis.call('HSET', fk, 'revoked', '1', 'denyPending', 'reuse')
                if f[3] then redis.call('DEL', ARGV[5] .. f[3]) end
                return {'REUSED', fam, f[5] or ''}
              end
              return {'WRONG_KEY', fam}
            end
            if tk[3] == 'consumed' then
              -- A deliberate, opt-in exception to RFC 9700 §4.14.2 (off by default): the immediately previous token,
              -- once, within seconds, for a client whose response was lost; a second replay is reuse.
              -- A request its first use could not have been (ARGV[12]) is not that client's retry.
              if REUSE_GRACE > 0 and ARGV[12] ~= '1' and tk[7] ~= '1' and f[3] == tk[6] and now - tonumber(tk[5]) <= REUSE_GRACE then
                -- The successor is not deleted but marked consumed, pointing at the token issued now, with its own
                -- grace spent: if it was really delivered (the replay is an attacker's), presenting it is reuse.
                local sk = ARGV[5] .. tk[6]
                if redis.call('EXISTS', sk) == 1 then
                  redis.call('HSET', sk, 'state', 'consumed', 'consumedAt', now, 'next', ARGV[2], 'graceUsed', '1')
                  redis.call('EXPIRE', sk, math.max(tonumber(f[2]) - now, 1))
                end
                redis.call('HSET', t, 'graceUsed', '1')
              else
                redis.call('HSET', fk, 'revoked', '1', 'denyPending', 'reuse')
                if f[3] then redis.call('DEL', ARGV[5] .. f[3]) end
                return {'REUSED', fam, f[5] or ''}
              end
            elseif now >= tonumber(tk[4]) then
              return {'EXPIRED', fam}
            end
            local remaining = tonumber(f[2]) - now
            if remaining <= 0 then return {'EXPIRED', fam} end
            -- Each rotation keeps the consumed token for the family's life (RFC 9700 §4.14.2 reuse detection): a
            -- family's rotations are capped, or a token rotated in a loop would fill Redis.
            if tonumber(f[11] or '0') >= MAX_ROTATIONS then return {'EXHAUSTED', fam} end
            local ttl = math.min(TOKEN_TTL, remaining)
            -- Each redis.call costs Redis a few microseconds of its one thread: one HSET per hash, not one per field.
            if tk[3] ~= 'consumed' then
              redis.call('HSET', t, 'state', 'consumed', 'consumedAt', now, 'next', ARGV[2])
            else
              redis.call('HSET', t, 'next', ARGV[2])
            end
            redis.call('EXPIRE', t, remaining)
            local nk = ARGV[5] .. ARGV[2]
            if (f[8] and f[8] ~= '') or ARGV[11] ~= '' then
              redis.call('HSET', nk, 'family', fam, 'client', tk[2], 'state', 'active', 'expires', now + ttl, 'bound', '1')
            else
              redis.call('HSET', nk, 'family', fam, 'client', tk[2], 'state', 'active', 'expires', now + ttl)
            end
            redis.call('EXPIRE', nk, ttl)
            if (not f[8] or f[8] == '') and ARGV[11] ~= '' then
              -- RFC 9449 §5: a public client's refresh token issued on a DPoP proof MUST be bound to its key.
              redis.call('HSET', fk, 'current', ARGV[2], 'rotations', tonumber(f[11] or '0') + 1, 'jkt', ARGV[11], 'boundAt', now)
            else
              redis.call('HSET', fk, 'current', ARGV[2], 'rotations', tonumber(f[11] or '0') + 1)
            end
            local ak = ARGV[6] .. fam
            redis.call('SADD', ak, ARGV[7])
            redis.call('EXPIRE', ak, ACCESS_SET_TTL)
            local reply = {'OK', fam, f[4], f[5], f[6] or '', f[7] or '0'}
            if USER_PREFIX ~= '' then
              local u = redis.call('HMGET', USER_PREFIX .. f[5], unpack(USER_FIELDS))
              reply[7] = u[1] and '1' or '0'
              for i = 1, #u do reply[7 + i] = u[i] or '' end
            end
            return reply
            """;

    /**
     * The rotation script with this server's settings and {@code read}'s user fields written into it (see
     * {@link #ROTATE}); one per way of reading the user, made once.
     */
    private LuaScript rotateScript(UserRead read) {
        return rotateScripts.computeIfAbsent(read == null ? NO_USER : read, r -> new LuaScript(
                "local TOKEN_TTL = " + config.refreshToken().ttl().toSeconds() + "\n"
                + "local REUSE_GRACE = " + Math.min(60, Math.max(0, config.refreshToken().reuseGrace().toSeconds())) + "\n"
                + "local ACCESS_SET_TTL = " + accessSetTtl().toSeconds() + "\n"
                + "local MAX_ROTATIONS = " + maxRotations() + "\n"
                + "local USER_PREFIX = " + luaString(r.prefix()) + "\n"
                + "local USER_FIELDS = {" + String.join(", ", r.fields().stream().map(RefreshTokenStore::luaString)
                .toList()) + "}\n" + ROTATE));
    }

    private static final UserRead NO_USER = new UserRead("", List.of());

    /** A Lua string literal of a key prefix or field name; anything else is a programming error, not input. */
    static String luaString(String value) {
        if (!value.matches("[A-Za-z0-9:_.{}-]*")) {
            throw new IllegalArgumentException("not a key prefix or field name: " + value);
        }
        return "'" + value + "'";
    }

    /** Which user fields a rotation reads along with the family: the hash {@code prefix + subject}. */
    public record UserRead(String prefix, List<String> fields) {
    }

    /** The user's fields from a rotation's reply (after the six of the family); empty when the user is gone. */
    private static Map<String, String> userFields(UserRead read, Response reply) {
        if (reply.size() < 7 || !"1".equals(reply.get(6).toString())) {
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < read.fields().size(); i++) {
            String value = reply.get(7 + i).toString();
            if (!value.isEmpty()) {
                fields.put(read.fields().get(i), value);
            }
        }
        return fields;
    }

    /**
     * {@code command} for each of {@code items}, pipelined on one connection (one round trip, not one each), with the
     * replies in the items' order. The keys may lie in different hash slots: the cluster connection routes each.
     */
    private <T, R> List<R> pipelined(List<T> items, BiFunction<ReactiveRedisDataSource, T, Uni<R>> command) {
        if (items.isEmpty()) {
            return List.of();
        }
        java.util.concurrent.atomic.AtomicReference<List<R>> replies = new java.util.concurrent.atomic.AtomicReference<>();
        reactive.current().withConnection(connection -> Uni.join()
                        .all(items.stream().map(item -> command.apply(connection, item)).toList()).andFailFast()
                        .invoke(replies::set).replaceWithVoid())
                .await().atMost(redisTimeout);
        return replies.get();
    }

    /** A family as the grants need it. */
    public record Family(String id, String clientId, String subject, String scope, String sessionRef, long authTime) {
    }

    /** What presenting a refresh token did. */
    public sealed interface Rotation {
        /**
         * Rotated: {@code token} is the new refresh token of {@code family}. {@code user} holds the fields of the
         * family's user when the rotation read them in the same round trip (empty if the user no longer exists), null
         * when it did not.
         */
        record Rotated(Family family, String token, Map<String, String> user) implements Rotation {
            public Rotated(Family family, String token) {
                this(family, token, null);
            }
        }

        /** The token is unknown, expired, revoked, or was issued to another client. */
        record Refused(String reason) implements Rotation {
        }

        /** A consumed token was presented again: its whole family, the person {@code subject}'s, is now revoked. */
        record Reused(String familyId, String subject) implements Rotation {
        }
    }

    private final RedisDataSource redis;
    private final EventLoopRedis reactive;
    private final OpaqueTokens tokens;
    private final AuthConfig config;
    private final RevocationStore revocations;
    private final DurableWrites durable;
    private final KeyLayout layout;
    private final AuditLog audit;
    private final Duration redisTimeout;
    private final Clock clock = Clock.systemUTC();
    private final Map<UserRead, LuaScript> rotateScripts = new java.util.concurrent.ConcurrentHashMap<>();

    public RefreshTokenStore(RedisDataSource redis, EventLoopRedis reactive, OpaqueTokens tokens,
                             AuthConfig config, RevocationStore revocations, DurableWrites durable, KeyLayout layout,
                             AuditLog audit,
                             @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration redisTimeout) {
        this.redisTimeout = redisTimeout;
        this.audit = audit;
        this.redis = redis;
        this.reactive = reactive;
        this.durable = durable;
        this.tokens = tokens;
        this.config = config;
        this.revocations = revocations;
        this.layout = layout;
    }

    /**
     * Whether {@code value} has the shape of a refresh token ({@code <family>.<secret>}, or the 43 characters of one
     * issued before); anything else is refused before any lookup.
     */
    public static boolean looksValid(String value) {
        return value != null && (OpaqueTokens.looksValid(value) || FORMAT.matcher(value).matches());
    }

    /** The family a token names, or "" for a token from before families were named in it. */
    private static String namedFamily(String token) {
        int dot = token.indexOf('.');
        return dot < 0 ? "" : token.substring(0, dot);
    }

    /** The prefix of a family's keys: its hash tag on Redis Cluster. */
    private String group(String familyId) {
        // A token without a family has no tag: on Redis Cluster it can only be unknown (none was ever issued there).
        return layout.group("auth:", familyId.isEmpty() ? "unnamed" : familyId);
    }

    private String tokenKey(String token) {
        return group(namedFamily(token)) + TOKEN + OpaqueTokens.hash(token);
    }

    String familyKey(String familyId) {
        return group(familyId) + FAMILY + familyId;
    }

    /** Remembers an access token issued in a family, so that revoking the family revokes it too. */
    public void recordAccessToken(String familyId, String jti, long exp) {
        redis.withTransaction(tx -> addAccessToken(tx, familyId, jti, exp));
    }

    /** Adds an access token to its family's set, within {@code tx}; the set lives as long as the family can. */
    private void addAccessToken(io.quarkus.redis.datasource.transactions.TransactionalRedisDataSource tx,
                                String familyId, String jti, long exp) {
        String key = group(familyId) + ACCESS_TOKENS + familyId;
        tx.set(String.class).sadd(key, jti + "|" + exp);
        tx.key().expire(key, accessSetTtl());
    }

    /** {@code auth.refresh-token.max-rotations}, or twice a family's life in access-token lifetimes. */
    long maxRotations() {
        return config.refreshToken().maxRotations().map(Integer::longValue).orElseGet(() ->
                2 * Math.max(1, config.refreshToken().absoluteLifetime().toSeconds()
                        / Math.max(1, config.accessToken().ttl().toSeconds())));
    }

    private Duration accessSetTtl() {
        return config.refreshToken().absoluteLifetime().plus(config.accessToken().ttl());
    }

    /** Starts a family and returns its first refresh token. */
    public Rotation.Rotated start(String clientId, String subject, String scope, String sessionRef, long authTime) {
        return start(clientId, subject, scope, sessionRef, authTime, null);
    }

    /**
     * Starts a family bound to a DPoP key ({@code jkt}, null for none): each of its refresh tokens is accepted only
     * from a request that proves that key (RFC 9449 §5).
     */
    public Rotation.Rotated start(String clientId, String subject, String scope, String sessionRef, long authTime,
                                  String jkt) {
        return start(clientId, subject, scope, sessionRef, authTime, jkt, null, 0);
    }

    /**
     * As above, with the family's first access token ({@code accessJti}, expiring at {@code accessExp}; null for none)
     * recorded in the same transaction that writes the family: revoking the family from the moment it exists (reuse,
     * "log out everywhere", a code replay) then reaches that token, even before it is signed. Recorded after signing
     * instead, it could miss a revocation that read the family in between (RFC 6749 §10.5, RFC 9700 §2.2.2).
     */
    public Rotation.Rotated start(String clientId, String subject, String scope, String sessionRef, long authTime,
                                  String jkt, String accessJti, long accessExp) {
        String familyId = tokens.nextId();
        String token = familyId + "." + tokens.next();
        String hash = OpaqueTokens.hash(token);
        long now = clock.instant().getEpochSecond();
        Duration absolute = config.refreshToken().absoluteLifetime();
        long ttl = Math.min(config.refreshToken().ttl().toSeconds(), absolute.toSeconds());
        Map<String, String> family = new HashMap<>();
        family.put("client", clientId);
        family.put("subject", subject);
        family.put("scope", scope);
        family.put("sessionRef", sessionRef == null ? "" : sessionRef);
        family.put("authTime", Long.toString(authTime));
        family.put("created", Long.toString(now));
        long begun = clock.millis();
        family.put("createdMs", Long.toString(begun));
        family.put("absoluteExpiry", Long.toString(now + absolute.toSeconds()));
        family.put("rotations", "0");
        family.put("current", hash);
        family.put("revoked", "0");
        if (jkt != null) {
            family.put("jkt", jkt);
        }
        // The indexes first, each on its own (they live in other slots): an index entry whose family was never
        // written is pruned later, while a family missing from its indexes would escape "log out everywhere".
        if (sessionRef != null) {
            // A session's index is of no use once its last family has expired: it goes with it.
            redis.withTransaction(tx -> {
                tx.set(String.class).sadd(BY_SESSION + sessionRef, familyId);
                tx.key().expire(BY_SESSION + sessionRef, absolute);
            });
        }
        long indexed = indexSubject(subject, familyId, now + absolute.toSeconds(), absolute);
        String familyKey = familyKey(familyId);
        String tokenKey = group(familyId) + TOKEN + hash;
        redis.withTransaction(tx -> {
            tx.hash(String.class).hset(familyKey, family);
            tx.key().expire(familyKey, absolute);
            tx.hash(String.class).hset(tokenKey, Map.of("family", familyId, "client", clientId,
                    "state", "active", "expires", Long.toString(now + ttl)));
            tx.key().expire(tokenKey, ttl);
            if (accessJti != null) {
                addAccessToken(tx, familyId, accessJti, accessExp);
            }
        });
        if (indexed > config.refreshToken().maxFamiliesPerSubject()) {
            try {
                revokeBeyondLimit(subject, begun);
            } catch (RuntimeException e) {
                // Housekeeping: the code or device approval is spent and the family written, so the sign-in goes on.
                // The next sign-in of the person tries again.
                LOG.warnf("Families of %s beyond auth.refresh-token.max-families-per-subject not revoked: %s",
                        subject, e.toString());
            }
        }
        return new Rotation.Rotated(new Family(familyId, clientId, subject, scope, sessionRef, authTime), token);
    }

    void checkLimits(@Observes StartupEvent event) {
        if (config.refreshToken().maxFamiliesPerSubject() < 1) {
            throw new IllegalStateException("auth.refresh-token.max-families-per-subject must be at least 1");
        }
    }

    /**
     * Revokes a person's oldest live families (by the millisecond each began) beyond
     * {@code auth.refresh-token.max-families-per-subject}: only families begun before the one just started
     * ({@code begun}), so that two sign-ins at once do not revoke each other's new family. Each family keeps its consumed
     * tokens for its life, so without the bound one account signing in in a loop fills Redis. RFC 9700 §4.14.2: the
     * authorization server may revoke refresh tokens on its own (it names logout and password change). Families
     * revoked to the end (logged out, revoked, reused) leave the index here: nothing needs them there any more. A
     * family whose key is missing stays: it may be one another replica indexed and has not written yet.
     */
    private void revokeBeyondLimit(String subject, long begun) {
        String index = BY_SUBJECT + subject;
        List<String> ids = redis.sortedSet(String.class).zrangebyscore(index,
                new io.quarkus.redis.datasource.sortedset.ScoreRange<>((double) clock.instant().getEpochSecond(),
                        Double.POSITIVE_INFINITY));
        List<Map<String, String>> families = pipelined(ids, (ds, id) -> ds.hash(String.class)
                .hmget(familyKey(id), "revoked", DENY_PENDING, "subject", "client", "createdMs", "created"));
        List<String> done = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> f = families.get(i);
            if ("1".equals(f.get("revoked")) && f.get(DENY_PENDING) == null) {
                done.add(ids.get(i));
            } else if ("0".equals(f.get("revoked")) && subject.equals(f.get("subject"))) {
                live.add(i);
            }
        }
        if (!done.isEmpty()) {
            redis.sortedSet(String.class).zrem(index, done.toArray(String[]::new));
            redis.set(String.class).srem(BY_SUBJECT_BEFORE + subject, done.toArray(String[]::new));
        }
        int excess = live.size() - config.refreshToken().maxFamiliesPerSubject();
        if (excess <= 0) {
            return;
        }
        live.sort(java.util.Comparator.comparingLong(i -> begunMs(families.get(i))));
        // At most a few per sign-in: a person far beyond a lowered limit gets there over the next sign-ins rather than
        // making one of them wait for hundreds of revocations.
        int toRevoke = Math.min(excess, 16);
        int revoked = 0;
        for (int i : live) {
            if (revoked == toRevoke) {
                break;
            }
            // The one just started began at `begun` itself.
            if (begunMs(families.get(i)) >= begun) {
                continue;
            }
            String familyId = ids.get(i);
            revokeFamily(familyId);
            audit.success(AuditTypes.REVOCATION, subject, families.get(i).get("client"),
                    Map.of("family", familyId, "token_type", "refresh_token", "cause", "max_families_per_subject"));
            revoked++;
        }
    }

    private static long begunMs(Map<String, String> family) {
        String ms = family.get("createdMs");
        return ms != null ? Long.parseLong(ms) : Long.parseLong(family.getOrDefault("created", "0")) * 1000;
    }

    /**
     * Adds a family to its person's index and drops the families whose absolute lifetime is over, so that a person who
     * signs in every day for years has an index as large as their live families, not their history; the index expires
     * with their last family. Pruned by the expiry each entry was added with, never by whether its family key exists:
     * a family being started at the same moment is indexed before it is written, and must not be dropped then, or it
     * would escape "log out everywhere" for the rest of its life. Returns how many families the index holds now.
     */
    private long indexSubject(String subject, String familyId, long expiresAt, Duration absolute) {
        String index = BY_SUBJECT + subject;
        var over = new io.quarkus.redis.datasource.sortedset.ScoreRange<>(Double.NEGATIVE_INFINITY,
                (double) clock.instant().getEpochSecond());
        List<String> expired = redis.sortedSet(String.class).zrangebyscore(index, over);
        var indexed = redis.withTransaction(tx -> {
            tx.sortedSet(String.class).zremrangebyscore(index, over);
            tx.sortedSet(String.class).zadd(index, expiresAt, familyId);
            tx.key().expire(index, absolute);
            tx.sortedSet(String.class).zcard(index);
        });
        // Also in the set the previous version reads, for one release: during a rolling update its replicas serve
        // "log out everywhere" and the console's sessions too, and must find the families started here. What ran out
        // leaves it as it leaves the sorted set.
        String before = BY_SUBJECT_BEFORE + subject;
        redis.withTransaction(tx -> {
            if (!expired.isEmpty()) {
                tx.set(String.class).srem(before, expired.toArray(String[]::new));
            }
            tx.set(String.class).sadd(before, familyId);
            tx.key().expire(before, absolute);
        });
        return ((Number) indexed.get(3)).longValue();
    }

    /** Whether {@code familyId} is one of {@link #subjectFamilies}, without reading them all. */
    private boolean isIndexed(String subject, String familyId) {
        java.util.OptionalDouble expiresAt = redis.sortedSet(String.class).zscore(BY_SUBJECT + subject, familyId);
        return expiresAt.isPresent() && expiresAt.getAsDouble() >= clock.instant().getEpochSecond()
                || redis.set(String.class).sismember(BY_SUBJECT_BEFORE + subject, familyId);
    }

    /** The families in a person's index that have not reached their absolute expiry, and those of the old index. */
    private List<String> subjectFamilies(String subject) {
        List<String> families = new ArrayList<>(redis.sortedSet(String.class).zrangebyscore(BY_SUBJECT + subject,
                new io.quarkus.redis.datasource.sortedset.ScoreRange<>((double) clock.instant().getEpochSecond(),
                        Double.POSITIVE_INFINITY)));
        for (String before : redis.set(String.class).smembers(BY_SUBJECT_BEFORE + subject)) {
            if (!families.contains(before)) {
                families.add(before);
            }
        }
        return families;
    }

    /**
     * Consumes {@code token} and issues its successor, atomically, recording the access token {@code jti} issued with
     * it in the family; see {@link Rotation} for the outcomes. {@code jkt} is the DPoP key the request proved (or
     * null), {@code bindTo} the key an unbound family is bound to from now on (null: stays as it is); the client's families begun up to {@code revokedBefore} (epoch millisecond) are revoked. {@code user}
     * also reads the family's user, from the hash {@code user.prefix() + subject}, where it can in the same round trip
     * (null: never). {@code noGrace}: a consumed token is reuse even within the reuse grace.
     */
    public Uni<Rotation> rotate(String token, String clientId, String jti, long jtiExpiresAt, String jkt,
                                String bindTo, long revokedBefore, UserRead user, boolean noGrace) {
        if (!looksValid(token)) {
            return Uni.createFrom().item(new Rotation.Refused("malformed"));
        }
        String named = namedFamily(token);
        // A token from before families were named in it gets a successor of its own shape: only the script learns its
        // family. Such tokens exist only on one server or behind Sentinels, where keys carry no tag.
        String next = named.isEmpty() ? tokens.next() : named + "." + tokens.next();
        String group = group(named);
        // The user comes along only where every key is on one node; on Redis Cluster the caller reads it itself.
        UserRead read = user == null || layout.cluster() ? null : user;
        List<String> args = List.of(Long.toString(clock.instant().getEpochSecond()), OpaqueTokens.hash(next), clientId,
                group + FAMILY, group + TOKEN, group + ACCESS_TOKENS, jti + "|" + jtiExpiresAt, named,
                jkt == null ? "" : jkt, Long.toString(revokedBefore), bindTo == null ? "" : bindTo,
                noGrace ? "1" : "");
        LuaScript script = rotateScript(read);
        return durable.write(reactive, ds -> script.run(ds, List.of(group + TOKEN + OpaqueTokens.hash(token)), args))
                .chain(reply -> {
                    String status = reply.get(0).toString();
                    return switch (status) {
                        case "OK" -> {
                            String sessionRef = reply.get(4).toString();
                            yield Uni.createFrom().item(new Rotation.Rotated(new Family(reply.get(1).toString(),
                                    clientId, reply.get(3).toString(), reply.get(2).toString(),
                                    sessionRef.isEmpty() ? null : sessionRef, Long.parseLong(reply.get(5).toString())),
                                    next, read == null ? null : userFields(read, reply)));
                        }
                        // RFC 9700 §4.14.2: a refresh token used twice means one copy is stolen; the family is
                        // revoked (the script did), and so is every access token issued in it (rare: on a worker).
                        case "REUSED" -> {
                            String family = reply.get(1).toString();
                            String subject = subjectIn(reply, 2);
                            yield VertxContextSupport.executeBlocking(() -> {
                                denyRevokedFamilysAccessTokens(family);
                                return new Rotation.Reused(family, subject);
                            });
                        }
                        // A revocation that stopped after revoking the family, before its access tokens were denied
                        // (a 503 in between): finished now, or the thief's access token would outlive the family.
                        case "REVOKED" -> {
                            String pending = reply.size() > 2 ? reply.get(2).toString() : "";
                            if (pending.isEmpty()) {
                                yield Uni.createFrom().item(new Rotation.Refused("revoked"));
                            }
                            String family = reply.get(1).toString();
                            String subject = subjectIn(reply, 3);
                            yield VertxContextSupport.executeBlocking(() -> {
                                denyRevokedFamilysAccessTokens(family);
                                return pending.equals(PENDING_REUSE) ? new Rotation.Reused(family, subject)
                                        : new Rotation.Refused("revoked");
                            });
                        }
                        default -> Uni.createFrom().item(new Rotation.Refused(status.toLowerCase(java.util.Locale.ROOT)));
                    };
                });
    }

    /** The person a rotation's reply names at {@code index}, when it does. */
    private static String subjectIn(Response reply, int index) {
        String subject = reply.size() > index ? reply.get(index).toString() : "";
        return subject.isEmpty() ? null : subject;
    }

    /** The person whose family this is, while the family exists. */
    public Optional<String> subjectOfFamily(String familyId) {
        return Optional.ofNullable(redis.hash(String.class).hget(familyKey(familyId), "subject"));
    }

    /** The family of a refresh token, consumed or not. */
    public Optional<String> familyOf(String token) {
        if (!looksValid(token)) {
            return Optional.empty();
        }
        return Optional.ofNullable(redis.hash(String.class).hget(tokenKey(token), "family"));
    }

    /**
     * What a rotation by {@code clientId} would start from, read before rotating so that a refresh which narrows the
     * scope or names resources can be refused without spending the token: the family's scope, whether the token was
     * consumed already (reuse, or a retry within the grace), and the DPoP key the family is bound to ("" when none).
     * Empty when no rotation by this client could succeed: an unknown token, another client's, an expired one, or a
     * revoked family; those are the rotation's to answer (RFC 6749 §6 and §5.2: invalid_grant), so that the request's
     * scope is never compared with a grant the client does not hold.
     */
    public Uni<Optional<Peek>> peek(String token, String clientId) {
        if (!looksValid(token)) {
            return Uni.createFrom().item(Optional.empty());
        }
        String named = namedFamily(token);
        String group = group(named);
        return PEEK.run(reactive.current(), List.of(group + TOKEN + OpaqueTokens.hash(token)),
                        List.of(group + FAMILY, clientId, named, Long.toString(clock.instant().getEpochSecond())))
                .map(reply -> reply == null || reply.size() < 3 ? Optional.<Peek>empty()
                        : Optional.of(new Peek(reply.get(0).toString().equals("consumed"), reply.get(1).toString(),
                                reply.get(2).toString())));
    }

    /** See {@link #peek}: {@code jkt} is "" for a family bound to no DPoP key. */
    public record Peek(boolean consumed, String scope, String jkt) {
    }

    /** KEYS[1] token; ARGV[1] family prefix, [2] client, [3] the family the token names ("" for none), [4] now. */
    private static final LuaScript PEEK = new LuaScript("""
            local tk = redis.call('HMGET', KEYS[1], 'family', 'client', 'state', 'expires')
            if not tk[1] or tk[2] ~= ARGV[2] or (ARGV[3] ~= '' and tk[1] ~= ARGV[3]) then return false end
            if tk[3] ~= 'consumed' and tonumber(ARGV[4]) >= tonumber(tk[4]) then return false end
            local f = redis.call('HMGET', ARGV[1] .. tk[1], 'revoked', 'absoluteExpiry', 'scope', 'jkt')
            if not f[2] or f[1] == '1' or tonumber(ARGV[4]) >= tonumber(f[2]) then return false end
            return {tk[3] or '', f[3] or '', f[4] or ''}
            """);

    /**
     * Revokes a family: its refresh tokens and every access token issued in it. False when no family was found: one
     * not written yet, or long expired.
     */
    public boolean revokeFamily(String familyId) {
        long found = durable.write(redis,
                ds -> REVOKE.run(ds, List.of(familyKey(familyId)), List.of(group(familyId) + TOKEN)).toLong());
        denyRevokedFamilysAccessTokens(familyId);
        return found == 1;
    }

    /** The family field that says a revocation has not yet denied the family's access tokens, and why it revoked. */
    static final String DENY_PENDING = "denyPending";
    static final String PENDING_REUSE = "reuse";

    /**
     * KEYS[1] family; ARGV[1] token prefix. Marks a family revoked, with its access tokens still to deny, and deletes
     * its current token in one step; a family that has already expired is left gone rather than re-created as a key
     * without expiry. A family revoked for reuse keeps saying so.
     */
    private static final LuaScript REVOKE = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local f = redis.call('HMGET', KEYS[1], 'current', 'revoked', 'denyPending')
            if f[2] == '1' and f[3] then
              redis.call('HSET', KEYS[1], 'revoked', '1')
            else
              redis.call('HSET', KEYS[1], 'revoked', '1', 'denyPending', 'revoke')
            end
            if f[1] then redis.call('DEL', ARGV[1] .. f[1]) end
            return 1
            """);

    /**
     * Denies every access token issued in a family, then clears the family's note that this was still to do: a
     * failure in between leaves the note, and the next revocation of the family, or the next presentation of one of
     * its refresh tokens, denies them again (RFC 9700 §4.14.2, RFC 7009 §2.1: the grant's tokens go with it).
     */
    private void denyRevokedFamilysAccessTokens(String familyId) {
        // The note is cleared only here, after a revocation's denial: a live family's denial (a change of roles) may
        // run beside a revocation and must not clear the note of one that has not finished.
        denyAccessTokens(familyId);
        redis.hash(String.class).hdel(familyKey(familyId), DENY_PENDING);
    }

    private void denyAccessTokens(String familyId) {
        Map<String, Long> expiries = new HashMap<>();
        for (String entry : redis.set(String.class).smembers(group(familyId) + ACCESS_TOKENS + familyId)) {
            int bar = entry.indexOf('|');
            expiries.put(entry.substring(0, bar), Long.parseLong(entry.substring(bar + 1)));
        }
        revocations.denyTokens(expiries);
    }

    /** The client a refresh token was issued to, consumed or not. */
    public Optional<String> clientOf(String token) {
        if (!looksValid(token)) {
            return Optional.empty();
        }
        return Optional.ofNullable(redis.hash(String.class).hget(tokenKey(token), "client"));
    }

    /**
     * What introspection may say about an active refresh token; empty when it is not active, or when its family began
     * up to {@code revokedBefore} (epoch ms, the client's cut-off).
     */
    public Optional<Map<String, String>> describeActive(String token, long revokedBefore) {
        if (!looksValid(token)) {
            return Optional.empty();
        }
        Map<String, String> t = redis.hash(String.class).hgetall(tokenKey(token));
        if (t.isEmpty() || !"active".equals(t.get("state"))
                || Long.parseLong(t.get("expires")) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        Map<String, String> family = redis.hash(String.class).hgetall(familyKey(t.get("family")));
        if (family.isEmpty() || "1".equals(family.get("revoked"))) {
            return Optional.empty();
        }
        long begun = family.containsKey("createdMs") ? Long.parseLong(family.get("createdMs"))
                : Long.parseLong(family.get("created")) * 1000;
        // RFC 7662 §2.2: active only if the token endpoint would take it; past the rotation cap it refuses it.
        if (begun <= revokedBefore || Long.parseLong(family.getOrDefault("rotations", "0")) >= maxRotations()) {
            return Optional.empty();
        }
        return Optional.of(Map.of("client_id", family.get("client"), "sub", family.get("subject"),
                "scope", family.get("scope"), "exp", t.get("expires"), "iat", family.get("created")));
    }

    public boolean isRevoked(String familyId) {
        String revoked = redis.hash(String.class).hget(familyKey(familyId), "revoked");
        return revoked == null || revoked.equals("1");
    }

    /** A live family as the admin console shows it: no token, only what it was granted and when. */
    public record ActiveFamily(String id, String clientId, String scope, long created, long rotations,
                               boolean dpopBound) {
    }

    /** The families of a person that are neither revoked nor expired, newest first. */
    public List<ActiveFamily> activeFamilies(String subject) {
        List<ActiveFamily> active = new java.util.ArrayList<>();
        Map<String, Long> begun = new HashMap<>();
        List<String> ids = subjectFamilies(subject);
        List<Map<String, String>> families = pipelined(ids, (ds, id) -> ds.hash(String.class).hgetall(familyKey(id)));
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Map<String, String> f = families.get(i);
            if (f.isEmpty() || !"0".equals(f.get("revoked")) || !subject.equals(f.get("subject"))) {
                continue;
            }
            long created = Long.parseLong(f.get("created"));
            active.add(new ActiveFamily(id, f.get("client"), f.get("scope"), created,
                    Long.parseLong(f.getOrDefault("rotations", "0")), f.containsKey("jkt")));
            begun.put(id, begunMs(f));
        }
        // By the millisecond each began: several sign-ins can fall in one second.
        active.sort(java.util.Comparator.comparing((ActiveFamily a) -> begun.get(a.id())).reversed());
        return active;
    }

    /** Revokes one family of {@code subject}; false when it is not theirs, or not live. */
    public boolean revokeFamilyOf(String subject, String familyId) {
        if (familyId == null || !isIndexed(subject, familyId)) {
            return false;
        }
        Map<String, String> state = redis.hash(String.class).hmget(familyKey(familyId), "revoked", DENY_PENDING);
        boolean revoked = state.get("revoked") == null || state.get("revoked").equals("1");
        if (revoked && state.get(DENY_PENDING) == null) {
            return false;
        }
        // Live, or revoked by a request that stopped before denying its access tokens: this one finishes it.
        revokeFamily(familyId);
        return true;
    }

    /**
     * Revokes every family started in a login session (RP-initiated logout). A family indexed but not yet written (a
     * code redemption under way) stays in the index for the next call: the logout calls this again once the session
     * is gone, and the redemption checks the session after writing its family (AuthorizationCodeGrant), so one of the
     * two ends it.
     */
    public int revokeSession(String sessionRef) {
        var families = redis.set(String.class).smembers(BY_SESSION + sessionRef);
        List<String> revoked = new ArrayList<>();
        for (String family : families) {
            if (revokeFamily(family)) {
                revoked.add(family);
            }
        }
        // Only what was read and revoked leaves the index: a family indexed meanwhile stays findable.
        if (!revoked.isEmpty()) {
            redis.set(String.class).srem(BY_SESSION + sessionRef, revoked.toArray(String[]::new));
        }
        return revoked.size();
    }

    /** Denies the access tokens issued so far in every family of a person, leaving the families alive. */
    public void denyAccessTokensOfSubject(String subject) {
        subjectFamilies(subject).forEach(this::denyAccessTokens);
    }

    /** Revokes every family of a person. */
    public int revokeSubject(String subject) {
        List<String> families = subjectFamilies(subject);
        families.forEach(this::revokeFamily);
        // Only what was read and revoked leaves the index: a family a new sign-in indexed meanwhile stays findable.
        if (!families.isEmpty()) {
            redis.sortedSet(String.class).zrem(BY_SUBJECT + subject, families.toArray(String[]::new));
            redis.set(String.class).srem(BY_SUBJECT_BEFORE + subject, families.toArray(String[]::new));
        }
        return families.size();
    }
}
