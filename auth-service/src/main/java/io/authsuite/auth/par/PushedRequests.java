package io.authsuite.auth.par;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.redis.DurableWrites;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushed authorization requests (RFC 9126), by their {@code request_uri}, for {@code auth.authorization-code
 * .pushed-request-ttl}. The reference is 256 random bits and Redis keeps only its SHA-256, as for codes and refresh
 * tokens: a Redis dump gives no usable {@code request_uri}.
 */
@ApplicationScoped
public class PushedRequests {

    /** RFC 9126 §2.2: the URN namespace registered for references to pushed requests. */
    public static final String URN_PREFIX = "urn:ietf:params:oauth:request_uri:";
    private static final String KEY = "auth:par:";

    /**
     * A pushed request: the client that pushed it, its authorization request parameters (no credentials), and whether
     * they came in a request object the client signed (RFC 9101).
     */
    @RegisterForReflection
    public record Pushed(String clientId, Map<String, List<String>> parameters, boolean signed) {
    }

    private final RedisDataSource redis;
    private final OpaqueTokens tokens;
    private final ObjectMapper json;
    private final Duration ttl;

    private final DurableWrites durable;

    public PushedRequests(RedisDataSource redis, OpaqueTokens tokens, ObjectMapper json, AuthConfig config,
                          DurableWrites durable) {
        this.redis = redis;
        this.durable = durable;
        this.tokens = tokens;
        this.json = json;
        this.ttl = config.authorizationCode().pushedRequestTtl();
    }

    /** Stores a checked request; returns its {@code request_uri}. */
    public String push(Pushed request) {
        String reference = tokens.next();
        try {
            redis.value(String.class).setex(KEY + OpaqueTokens.hash(reference), ttl.toSeconds(),
                    json.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return URN_PREFIX + reference;
    }

    public Duration ttl() {
        return ttl;
    }

    /** The request a {@code request_uri} refers to, while it lives and has not been used. */
    public Optional<Pushed> find(String requestUri) {
        Optional<String> key = key(requestUri);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String value = redis.value(String.class).get(key.get());
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(value, Pushed.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Uses a {@code request_uri} up: true for the one caller that did (RFC 9126 §4, one-time use). */
    public boolean consume(String requestUri) {
        // Answered only once a replica holds the deletion: a failover must not make a used request_uri usable again.
        return key(requestUri).map(k -> durable.write(redis, ds -> ds.key().del(k), deleted -> deleted == 1) == 1)
                .orElse(false);
    }

    private static Optional<String> key(String requestUri) {
        if (requestUri == null || !requestUri.startsWith(URN_PREFIX)) {
            return Optional.empty();
        }
        String reference = requestUri.substring(URN_PREFIX.length());
        return OpaqueTokens.looksValid(reference) ? Optional.of(KEY + OpaqueTokens.hash(reference)) : Optional.empty();
    }
}
