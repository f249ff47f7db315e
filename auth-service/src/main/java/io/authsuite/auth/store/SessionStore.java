package io.authsuite.auth.store;

import io.authsuite.auth.config.AuthConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Login sessions at this server (single sign-on): {@code auth:session:{hash(sid)}} → subject and sign-in time,
 * expiring with the session. The browser holds only the random session id in an httpOnly cookie.
 */
@ApplicationScoped
public class SessionStore {

    private static final String SESSION = "auth:session:";
    private static final String BY_SUBJECT = "auth:subject-sessions:";

    /** A live login session. */
    public record LoginSession(String id, String subject, Instant authTime) {
    }

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
            tx.key().expire(key, config.session().ttl());
        });
        return new LoginSession(id, subject, Instant.ofEpochSecond(now.getEpochSecond()));
    }

    public Optional<LoginSession> find(String id) {
        if (!OpaqueTokens.looksValid(id)) {
            return Optional.empty();
        }
        Map<String, String> fields = redis.hash(String.class).hgetall(SESSION + OpaqueTokens.hash(id));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LoginSession(id, fields.get("subject"),
                Instant.ofEpochSecond(Long.parseLong(fields.get("authTime")))));
    }

    public void delete(String id) {
        if (OpaqueTokens.looksValid(id)) {
            redis.key().del(SESSION + OpaqueTokens.hash(id));
        }
    }

    /** Ends every login session of a person. */
    public void deleteAll(String subject) {
        for (String ref : redis.set(String.class).smembers(BY_SUBJECT + subject)) {
            redis.key().del(SESSION + ref);
        }
        redis.key().del(BY_SUBJECT + subject);
    }

    /** The id under which other records refer to a session without holding its bearer value. */
    public static String reference(String id) {
        return OpaqueTokens.hash(id);
    }
}
