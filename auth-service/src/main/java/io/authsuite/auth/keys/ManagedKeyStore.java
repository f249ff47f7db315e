package io.authsuite.auth.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The managed key set in Redis: hash {@code auth:keys}, kid → key record with its sealed private key. States:
 * {@code next} (published, not yet signing), {@code active} (signing), {@code previous} (published until the tokens
 * it signed have expired). Changes are optimistic transactions on the hash, so concurrent replicas cannot both
 * rotate.
 */
final class ManagedKeyStore {

    static final String KEYS = "auth:keys";

    /** One stored key; {@code sealed} is the AES-GCM-sealed PKCS#8 private key. */
    // Read back from Redis with Jackson: registered for reflection in native images.
    @io.quarkus.runtime.annotations.RegisterForReflection
    record StoredKey(String kid, String state, long created, long activated, long retireAfter, String sealed) {
        StoredKey with(String newState, long newActivated, long newRetireAfter) {
            return new StoredKey(kid, newState, created, newActivated, newRetireAfter, sealed);
        }
    }

    private final RedisDataSource redis;
    private final ObjectMapper json;
    private final KeyEncryption encryption;

    ManagedKeyStore(RedisDataSource redis, ObjectMapper json, KeyEncryption encryption) {
        this.redis = redis;
        this.json = json;
        this.encryption = encryption;
    }

    List<StoredKey> load() {
        List<StoredKey> keys = new ArrayList<>();
        redis.hash(String.class).hgetall(KEYS).values().forEach(v -> keys.add(read(v)));
        return keys;
    }

    SigningKey open(StoredKey stored) {
        RSAPrivateKey privateKey = SigningKeys.privateKey(encryption.open(stored.sealed(), stored.kid()), stored.kid());
        return SigningKeys.toSigningKey(privateKey, stored.kid());
    }

    StoredKey seal(SigningKey key, String state, long now) {
        return new StoredKey(key.kid(), state, now, state.equals("active") ? now : 0, 0,
                encryption.seal(key.privateKey().getEncoded(), key.kid()));
    }

    /**
     * Applies {@code change} to the current key set atomically: it gets the records and returns the ones to write
     * (and, as records with state {@code "remove"}, to delete); empty means nothing to do. False when another
     * replica changed the set meanwhile.
     */
    boolean update(Function<Map<String, StoredKey>, Optional<List<StoredKey>>> change) {
        var result = redis.withTransaction(ds -> {
            Map<String, StoredKey> current = new HashMap<>();
            ds.hash(String.class).hgetall(KEYS).forEach((kid, v) -> current.put(kid, read(v)));
            return change.apply(current);
        }, (writes, tx) -> {
            if (writes.isEmpty()) {
                tx.hash(String.class).hlen(KEYS);
                return;
            }
            for (StoredKey k : writes.get()) {
                if (k.state().equals("remove")) {
                    tx.hash(String.class).hdel(KEYS, k.kid());
                } else {
                    tx.hash(String.class).hset(KEYS, k.kid(), write(k));
                }
            }
        }, KEYS);
        return !result.discarded();
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    private String write(StoredKey key) {
        try {
            return json.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private StoredKey read(String value) {
        try {
            return json.readValue(value, StoredKey.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt key record in Redis", e);
        }
    }
}
