package io.authsuite.auth.device;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Device authorizations (RFC 8628) in Redis: {@code auth:device:{hash(device_code)}} (client, scope, user code,
 * status, poll bookkeeping) and {@code auth:user-code:{code}} pointing at it. Records outlive their expiry by a
 * few minutes so that a late poll is told {@code expired_token} rather than {@code invalid_grant}.
 */
@ApplicationScoped
public class DeviceCodeStore {

    private static final String DEVICE = "auth:device:";
    private static final String USER_CODE = "auth:user-code:";
    /** RFC 8628 §6.1: consonants only (no vowels, so no words), unambiguous letters, case-insensitive. */
    private static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    private static final long GRACE = 300;

    /**
     * One poll, atomically. KEYS[1] device record; ARGV[1] now, ARGV[2] client. Returns {status, ...}:
     * UNKNOWN, WRONG_CLIENT, EXPIRED, SLOW_DOWN, PENDING, DENIED (with the user code), APPROVED with scope,
     * subject, authTime, the epoch millisecond of the approval and the user code, or COLLECTED for a decision a
     * poll has collected already (the record stays until it expires, so that a device told to retry learns why it
     * must start again). The user code's key is left to the
     * caller: on Redis Cluster it lives in another hash slot than the record.
     */
    private static final LuaScript POLL = new LuaScript("""
            local d = redis.call('HMGET', KEYS[1], 'client', 'status', 'expires', 'lastPoll', 'interval', 'scope', 'subject', 'authTime', 'userCode', 'decidedAt')
            if not d[1] then return {'UNKNOWN'} end
            if d[1] ~= ARGV[2] then return {'WRONG_CLIENT'} end
            local now = tonumber(ARGV[1])
            if now >= tonumber(d[3]) then return {'EXPIRED'} end
            if d[2] == 'collected' then return {'COLLECTED'} end
            if d[2] == 'approved' or d[2] == 'denied' then
              redis.call('HSET', KEYS[1], 'status', 'collected')
              if d[2] == 'denied' then return {'DENIED', d[9]} end
              return {'APPROVED', d[6], d[7], d[8], d[10] or '0', d[9]}
            end
            local interval = tonumber(d[5])
            if d[4] and now - tonumber(d[4]) < interval then
              redis.call('HSET', KEYS[1], 'lastPoll', now, 'interval', interval + 5)
              return {'SLOW_DOWN'}
            end
            redis.call('HSET', KEYS[1], 'lastPoll', now)
            return {'PENDING'}
            """);

    /** A new device authorization. */
    public record Issued(String deviceCode, String userCode, long expiresIn, int interval) {
    }

    /** What the approval page shows about a pending request. */
    public record Pending(String deviceKey, String clientId, String scope) {
    }

    private final RedisDataSource redis;
    private final OpaqueTokens tokens;
    private final AuthConfig config;
    private final SecureRandom random = new SecureRandom();

    private final DurableWrites durable;

    public DeviceCodeStore(RedisDataSource redis, OpaqueTokens tokens, AuthConfig config, DurableWrites durable) {
        this.redis = redis;
        this.durable = durable;
        this.tokens = tokens;
        this.config = config;
    }

    public Issued create(String clientId, String scope) {
        String deviceCode = tokens.next();
        String deviceKey = DEVICE + OpaqueTokens.hash(deviceCode);
        long ttl = config.device().ttl().toSeconds();
        long now = Instant.now().getEpochSecond();
        for (int attempt = 0; attempt < 10; attempt++) {
            String userCode = userCode();
            // The user code with its expiry in one command, the record in one MULTI: on Redis Cluster they live in
            // different hash slots, and neither may exist without an expiry.
            if (redis.value(String.class).setGet(USER_CODE + userCode, deviceKey,
                    new io.quarkus.redis.datasource.value.SetArgs().nx().ex(ttl)) == null) {
                Map<String, String> fields = new HashMap<>();
                fields.put("client", clientId);
                fields.put("scope", scope);
                fields.put("status", "pending");
                fields.put("expires", Long.toString(now + ttl));
                fields.put("interval", Integer.toString(config.device().interval()));
                fields.put("userCode", userCode);
                redis.withTransaction(tx -> {
                    tx.hash(String.class).hset(deviceKey, fields);
                    tx.key().expire(deviceKey, ttl + GRACE);
                });
                return new Issued(deviceCode, format(userCode), ttl, config.device().interval());
            }
        }
        throw new IllegalStateException("no free user code after 10 attempts");
    }

    /** The pending request behind a user code as typed by a person (any case, dashes and spaces ignored). */
    public Optional<Pending> pending(String typedCode) {
        String code = normalize(typedCode);
        if (code == null) {
            return Optional.empty();
        }
        String deviceKey = redis.value(String.class).get(USER_CODE + code);
        if (deviceKey == null) {
            return Optional.empty();
        }
        Map<String, String> d = redis.hash(String.class).hgetall(deviceKey);
        if (d.isEmpty() || !"pending".equals(d.get("status"))
                || Long.parseLong(d.get("expires")) <= Instant.now().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(new Pending(deviceKey, d.get("client"), d.get("scope")));
    }

    /**
     * KEYS[1] device record; ARGV[1] status, ARGV[2] subject, ARGV[3] authTime, ARGV[4] when the deciding session was
     * last seen alive, in ms. Decides a request that is still pending and still exists, so an expiring record is never
     * re-created without its TTL and a second decision cannot overwrite the first. Returns 1 when decided.
     */
    private static final LuaScript DECIDE = new LuaScript("""
            if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
            redis.call('HSET', KEYS[1], 'status', ARGV[1], 'subject', ARGV[2], 'authTime', ARGV[3], 'decidedAt', ARGV[4])
            return 1
            """);

    /** Records the person's decision; false when the request was decided or expired in the meantime. */
    public boolean decide(Pending pending, boolean approved, String subject, long authTime, long decidedAtMillis) {
        return DECIDE.run(redis, List.of(pending.deviceKey()), List.of(approved ? "approved" : "denied", subject,
                Long.toString(authTime), Long.toString(decidedAtMillis))).toLong() == 1;
    }

    /** The outcome of a poll by the device. */
    public record Poll(String status, String scope, String subject, long authTime, long decidedAtMillis) {
    }

    /**
     * The scope a person approved for {@code deviceCode}, without collecting the approval: for checks whose failure
     * must leave it for the next poll. Empty unless the code is this client's, approved, and not yet expired.
     */
    public Optional<String> approvedScope(String deviceCode, String clientId) {
        if (!OpaqueTokens.looksValid(deviceCode)) {
            return Optional.empty();
        }
        Map<String, String> d = redis.hash(String.class).hmget(DEVICE + OpaqueTokens.hash(deviceCode), "client",
                "status", "expires", "scope");
        String expires = d.get("expires");
        boolean open = clientId.equals(d.get("client")) && "approved".equals(d.get("status")) && expires != null
                && Instant.now().getEpochSecond() < Long.parseLong(expires);
        return open ? Optional.ofNullable(d.get("scope")) : Optional.empty();
    }

    public Poll poll(String deviceCode, String clientId) {
        if (!OpaqueTokens.looksValid(deviceCode)) {
            return new Poll("UNKNOWN", null, null, 0, 0);
        }
        // The poll that uses an approval up hands out tokens once per device code: it is answered only once a replica
        // holds the approval as collected, so that a failover cannot bring it back for a second set. Pending polls
        // may be lost and wait for nothing.
        Response r = durable.write(redis, ds -> POLL.run(ds, List.of(DEVICE + OpaqueTokens.hash(deviceCode)),
                List.of(Long.toString(Instant.now().getEpochSecond()), clientId)),
                reply -> reply.get(0).toString().equals("APPROVED"));
        String status = r.get(0).toString();
        if (status.equals("APPROVED") || status.equals("DENIED")) {
            // Decided and collected: the code a person typed leads nowhere any more (it would expire anyway).
            redis.key().del(USER_CODE + r.get(r.size() - 1).toString());
        }
        if (status.equals("APPROVED")) {
            return new Poll(status, r.get(1).toString(), r.get(2).toString(), Long.parseLong(r.get(3).toString()),
                    Long.parseLong(r.get(4).toString()));
        }
        return new Poll(status, null, null, 0, 0);
    }

    private String userCode() {
        StringBuilder code = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        String code = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        return code.length() == 8 && code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0) ? code : null;
    }

    static String format(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }
}
