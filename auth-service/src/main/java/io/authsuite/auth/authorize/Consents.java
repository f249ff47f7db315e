package io.authsuite.auth.authorize;

import io.authsuite.auth.clients.RegisteredClient;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Scopes a person has allowed a (third-party) client: {@code auth:consent:{subject}:{client}:{revokedBefore}}. The
 * client's {@code revokedBefore} is in the key, so a consent ends with the grants a disable or a delete ends: a client
 * enabled again, or created again under the same id, asks again (RFC 6749 §10.2: no client is authorised on the
 * strength of a consent given to another).
 */
@ApplicationScoped
public class Consents {

    private static final String KEY = "auth:consent:";

    private final RedisDataSource redis;

    public Consents(RedisDataSource redis) {
        this.redis = redis;
    }

    public boolean covers(String subject, RegisteredClient client, Set<String> scopes) {
        return redis.set(String.class).smembers(key(subject, client)).containsAll(scopes);
    }

    public void grant(String subject, RegisteredClient client, Set<String> scopes) {
        redis.set(String.class).sadd(key(subject, client), scopes.toArray(String[]::new));
    }

    private static String key(String subject, RegisteredClient client) {
        return KEY + subject + ":" + client.id() + ":" + client.revokedBefore();
    }
}
