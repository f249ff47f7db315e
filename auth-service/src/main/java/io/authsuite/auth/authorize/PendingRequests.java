package io.authsuite.auth.authorize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Authorization requests waiting for the person to sign in or consent, by a random id, for a few minutes. */
@ApplicationScoped
public class PendingRequests {

    private static final String KEY = "auth:authreq:";

    private final RedisDataSource redis;
    private final OpaqueTokens tokens;
    private final ObjectMapper json;
    private final AuthConfig config;

    public PendingRequests(RedisDataSource redis, OpaqueTokens tokens, ObjectMapper json, AuthConfig config) {
        this.redis = redis;
        this.tokens = tokens;
        this.json = json;
        this.config = config;
    }

    public String save(AuthorizationRequest request) {
        String id = tokens.next();
        try {
            redis.value(String.class).setex(KEY + OpaqueTokens.hash(id), config.authorizationCode().requestTtl().toSeconds(),
                    json.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    public Optional<AuthorizationRequest> find(String id) {
        if (!OpaqueTokens.looksValid(id)) {
            return Optional.empty();
        }
        String value = redis.value(String.class).get(KEY + OpaqueTokens.hash(id));
        try {
            return value == null ? Optional.empty() : Optional.of(json.readValue(value, AuthorizationRequest.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    public void delete(String id) {
        if (OpaqueTokens.looksValid(id)) {
            redis.key().del(KEY + OpaqueTokens.hash(id));
        }
    }
}
