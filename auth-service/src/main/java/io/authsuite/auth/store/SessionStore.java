package io.authsuite.auth.store;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Login sessions at this server (single sign-on): {@code auth:session:{hash(sid)}} → subject and sign-in time,
 * expiring with the session. The browser holds only the random session id in an httpOnly cookie.
 *
 * <p>A session ends {@code auth.session.ttl} after its sign-in, or earlier when no page has looked it up for
 * {@code auth.session.idle-timeout}: each lookup moves the key's expiry to whichever of the two comes first.
 */
@ApplicationScoped
public class SessionStore {

    private static final String SESSION = "auth:session:";
    private static final String BY_SUBJECT = "auth:subject-sessions:";

    /**
     * A live login session. {@code aliveAtMillis} is a moment it was known to exist, taken before the read that found
     * it (or when it was made): what is granted from it (a code, a device approval) carries that moment, so that a
     * "log out everywhere" that deletes the session after this read still withdraws it, however long the request
     * takes between the read and the write.
     */
    public record LoginSession(String id, String subject, Instant authTime, long aliveAtMillis) {
    }

    /**
     * KEYS[1] the session; ARGV[1] its lifetime, ARGV[2] the idle timeout, ARGV[3] now (epoch seconds). Returns its
     * fields and renews its expiry, or nothing once it is over (and then deletes it).
     */
    private static final LuaScript TOUCH = new LuaScript("""
            local fields = redis.call('HGETALL', KEYS[1])
            local authTime
            for i = 1, #fields, 2 do
              if fields[i] == 'authTime' then authTime = tonumber(fields[i + 1]) end
            end
            if authTime == nil then return {} end
            local left = math.min(authTime + tonumber(ARGV[1]) - tonumber(ARGV[3]), tonumber(ARGV[2]))
            if left <= 0 then
              redis.call('DEL', KEYS[1])
              return {}
            end
            redis.call('EXPIRE', KEYS[1], left)
            return fields
            """);

    private final RedisDataSource redis;
    private final OpaqueTokens tokens;
    private final AuthConfig config;

    public SessionStore(RedisDataSource redis, OpaqueTokens tokens, AuthConfig config) {
        this.redis = redis;
        this.tokens = tokens;
        this.config = config;
    }

    public LoginSession create(String subject) {
        String id = tokens.next();
        Instant now = Instant.now();
        String key = SESSION + OpaqueTokens.hash(id);
        // One MULTI per key, so that no key exists without its expiry; two, because the session and its person's index
        // live in different hash slots on Redis Cluster. The index first: "log out everywhere" must find every session.
        redis.withTransaction(tx -> {
            tx.set(String.class).sadd(BY_SUBJECT + subject, OpaqueTokens.hash(id));
            tx.key().expire(BY_SUBJECT + subject, config.session().ttl());
        });
        redis.withTransaction(tx -> {
            tx.hash(String.class).hset(key, Map.of("subject", subject, "authTime", Long.toString(now.getEpochSecond())));
            tx.key().expire(key, idleOrLifetime());
        });
        return new LoginSession(id, subject, Instant.ofEpochSecond(now.getEpochSecond()), now.toEpochMilli());
    }

    public Optional<LoginSession> find(String id) {
        if (!OpaqueTokens.looksValid(id)) {
            return Optional.empty();
        }
        long aliveAt = Instant.now().toEpochMilli();
        Response reply = TOUCH.run(redis, List.of(SESSION + OpaqueTokens.hash(id)),
                List.of(Long.toString(config.session().ttl().toSeconds()),
                        Long.toString(config.session().idleTimeout().toSeconds()),
                        Long.toString(Instant.now().getEpochSecond())));
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
        }
        if (fields.get("subject") == null || fields.get("authTime") == null) {
            return Optional.empty();
        }
        return Optional.of(new LoginSession(id, fields.get("subject"),
                Instant.ofEpochSecond(Long.parseLong(fields.get("authTime"))), aliveAt));
    }

    private java.time.Duration idleOrLifetime() {
        java.time.Duration idle = config.session().idleTimeout();
        return idle.compareTo(config.session().ttl()) < 0 ? idle : config.session().ttl();
    }

    public void delete(String id) {
        if (OpaqueTokens.looksValid(id)) {
            redis.key().del(SESSION + OpaqueTokens.hash(id));
        }
    }

    /** Ends every login session of a person. */
    public void deleteAll(String subject) {
        java.util.Set<String> refs = redis.set(String.class).smembers(BY_SUBJECT + subject);
        for (String ref : refs) {
            redis.key().del(SESSION + ref);
        }
        // Only what was read and deleted leaves the index: a sign-in indexed meanwhile stays findable.
        if (!refs.isEmpty()) {
            redis.set(String.class).srem(BY_SUBJECT + subject, refs.toArray(String[]::new));
        }
    }

    /**
     * Whether the session a record refers to ({@link #reference}) still exists; it is not renewed by asking. A session
     * past its lifetime but not yet touched since is still here: a code lives far less than the time that can add.
     */
    public boolean isLive(String reference) {
        return redis.key().exists(SESSION + reference);
    }

    /** The id under which other records refer to a session without holding its bearer value. */
    public static String reference(String id) {
        return OpaqueTokens.hash(id);
    }
}
