package io.authsuite.auth.clients;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.KeyLayout;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The registered clients in Redis, shared by every replica: the hash {@code auth:clients} (client id → the
 * {@link StoredClient} as JSON) and the counter {@code auth:clients-changes}, raised by every write, which the replicas
 * watch ({@link ClientRegistry}). On Redis Cluster both carry the hash tag {@code {clients}}: a write updates them in
 * one script.
 *
 * <p>Writes are optimistic: each names the version it was based on and is refused if another write came first, and
 * {@link #update} then starts again from the newer record. Writes are {@linkplain DurableWrites durable}: a disabled
 * client must not come back to life after a failover.
 */
@ApplicationScoped
public class ClientStore {

    private static final Logger LOG = Logger.getLogger(ClientStore.class);

    /** ARGV[2] of {@link #SAVE}: the record must not exist yet. */
    private static final long ABSENT = -1;

    /**
     * KEYS[1] the clients hash, KEYS[2] the change counter; ARGV[1] client id, ARGV[2] the version the write is based
     * on ({@link #ABSENT}: none), ARGV[3] the record, ARGV[4] "1" when the registries must reload (the change
     * counter moves). Returns the new change count (1 when it did not move), or 0 when refused.
     */
    private static final LuaScript SAVE = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            local expected = tonumber(ARGV[2])
            if expected < 0 then
              if current then return 0 end
            else
              if not current or tonumber(cjson.decode(current)['version']) ~= expected then return 0 end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            if ARGV[4] ~= '1' then return 1 end
            return redis.call('INCR', KEYS[2])
            """);

    /** KEYS as {@link #SAVE}; ARGV[1] client id. Returns the new change count, or 0 when there was no such client. */
    private static final LuaScript DELETE = new LuaScript("""
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
            return redis.call('INCR', KEYS[2])
            """);

    /** A write lost against another write more than a few times in a row. */
    public static final class ConcurrentChangeException extends RuntimeException {
        public ConcurrentChangeException(String id) {
            super("client " + id + " is being changed concurrently; try again", null, false, false);
        }
    }

    private final RedisDataSource redis;
    private final DurableWrites durable;
    private final ObjectMapper json;
    private final String clients;
    private final String changes;

    public ClientStore(RedisDataSource redis, DurableWrites durable, ObjectMapper json, KeyLayout layout) {
        this.redis = redis;
        this.durable = durable;
        this.json = json;
        String group = layout.group("auth:", "clients");
        this.clients = group + "clients";
        this.changes = group + "clients-changes";
    }

    /** How many writes the registry has seen: a replica reloads when it moves. */
    public long changeCount() {
        String count = redis.value(String.class).get(changes);
        return count == null ? 0 : Long.parseLong(count);
    }

    public Map<String, StoredClient> all() {
        Map<String, StoredClient> out = new HashMap<>();
        redis.hash(String.class).hgetall(clients).forEach((id, value) -> parse(id, value).ifPresent(c -> out.put(id, c)));
        return out;
    }

    public Optional<StoredClient> find(String id) {
        String value = redis.hash(String.class).hget(clients, id);
        return value == null ? Optional.empty() : parse(id, value);
    }

    /** Stores a new client; false when one with this id exists. */
    public boolean create(StoredClient client) {
        return save(client.withVersion(0), ABSENT);
    }

    /** Replaces {@code current} (as read) with {@code next}; false when another write came first. */
    public boolean replace(StoredClient current, StoredClient next) {
        return save(next.withVersion(current.version() + 1), current.version());
    }

    /**
     * Applies {@code change} to the stored client, again from the newer record when another write came first. A
     * change that returns the record it was given writes nothing.
     *
     * @return the stored result, or empty when there is no such client
     */
    public Optional<StoredClient> update(String id, UnaryOperator<StoredClient> change) {
        return update(id, change, true);
    }

    /**
     * As {@link #update(String, UnaryOperator)}, without making the replicas' registries reload when
     * {@code reload} is false: for what only the store's readers use (the registration access token's hash, read by
     * RFC 7592's endpoint from the store), so that a client reading its registration over and over cannot make every
     * replica reload every client.
     */
    public Optional<StoredClient> update(String id, UnaryOperator<StoredClient> change, boolean reload) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<StoredClient> current = find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            StoredClient changed = change.apply(current.get());
            if (changed == current.get()) {
                // Nothing to write: no version bump, and no reload of every replica's registry for it.
                return current;
            }
            StoredClient next = changed.withVersion(current.get().version() + 1);
            if (save(next, current.get().version(), reload)) {
                return Optional.of(next);
            }
        }
        throw new ConcurrentChangeException(id);
    }

    public boolean delete(String id) {
        return durable.write(redis, ds -> DELETE.run(ds, List.of(clients, changes), List.of(id))).toLong() > 0;
    }

    private boolean save(StoredClient client, long expectedVersion) {
        return save(client, expectedVersion, true);
    }

    private boolean save(StoredClient client, long expectedVersion, boolean reload) {
        String value;
        try {
            value = json.writeValueAsString(client);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write client " + client.id(), e);
        }
        return durable.write(redis, ds -> SAVE.run(ds, List.of(clients, changes),
                List.of(client.id(), Long.toString(expectedVersion), value, reload ? "1" : "0"))).toLong() > 0;
    }

    private Optional<StoredClient> parse(String id, String value) {
        try {
            return Optional.of(json.readValue(value, StoredClient.class));
        } catch (JsonProcessingException e) {
            // One unreadable record must not take the others down with it; it is refused until it is written again.
            LOG.errorf("client %s: unreadable record in Redis (%s); the client is refused", id, e.getOriginalMessage());
            return Optional.empty();
        }
    }
}
