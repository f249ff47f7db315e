package io.authsuite.auth.authorize;

import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Scopes a person has allowed a (third-party) client: {@code auth:consent:{subject}:{client}}. */
@ApplicationScoped
public class Consents {

    private static final String KEY = "auth:consent:";

    private final RedisDataSource redis;

    public Consents(RedisDataSource redis) {
        this.redis = redis;
    }

    public boolean covers(String subject, String clientId, Set<String> scopes) {
        return redis.set(String.class).smembers(KEY + subject + ":" + clientId).containsAll(scopes);
    }

    public void grant(String subject, String clientId, Set<String> scopes) {
        redis.set(String.class).sadd(KEY + subject + ":" + clientId, scopes.toArray(String[]::new));
    }
}
