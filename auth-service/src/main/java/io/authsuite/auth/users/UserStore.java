package io.authsuite.auth.users;

import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Users in Redis: {@code auth:user:{subject}} (hash) and the unique index {@code auth:username:{canonical}}
 * ({@link Usernames#canonical})
 * → subject. The password hash is a field of the user hash and never leaves this class except to be verified.
 */
@ApplicationScoped
public class UserStore {

    private static final Logger LOG = Logger.getLogger(UserStore.class);
    private static final String USER = "auth:user:";
    private static final String USERNAME = "auth:username:";
    private static final String ALL = "auth:users";
    /** KEYS[1] a user's record; ARGV field, value pairs. Writes them only while the record exists: 1, else 0. */
    private static final LuaScript UPDATE_EXISTING = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV))
            return 1
            """);

    /**
     * KEYS[1] a user's record; ARGV[1] the password hash that was just verified, ARGV[2] its replacement. Replaces it
     * only while it is still the stored one, so a password changed meanwhile is never put back: 1, else 0.
     */
    private static final LuaScript REPLACE_HASH = new LuaScript("""
            if redis.call('HGET', KEYS[1], 'password') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'password', ARGV[2])
            return 1
            """);

    private final RedisDataSource redis;
    private final HashCommands<String, String, String> hashes;
    private final ReactiveHashCommands<String, String, String> reactiveHashes;
    private final PasswordHasher hasher;

    public UserStore(RedisDataSource redis, ReactiveRedisDataSource reactive, PasswordHasher hasher) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.reactiveHashes = reactive.hash(String.class);
        this.hasher = hasher;
    }

    /** Thrown when a username is already taken. */
    public static class UsernameTakenException extends RuntimeException {
        public UsernameTakenException(String username) {
            super("username " + username + " is taken", null, false, false);
        }
    }

    /** Creates a user with an already hashed password; the username must be free. */
    public User create(String username, String passwordHash, String email, String name, Set<String> roles) {
        if (Usernames.canonical(username).isEmpty()) {
            throw new IllegalArgumentException("not a valid username");
        }
        String subject = UUID.randomUUID().toString();
        boolean free = redis.value(String.class).setnx(USERNAME + key(username), subject);
        if (!free) {
            throw new UsernameTakenException(username);
        }
        Instant now = Instant.now();
        Map<String, String> fields = new HashMap<>();
        fields.put("username", username);
        fields.put("email", email);
        fields.put("name", name);
        fields.put("roles", String.join(",", roles));
        fields.put("disabled", "false");
        fields.put("password", passwordHash);
        fields.put("created", Long.toString(now.toEpochMilli()));
        hashes.hset(USER + subject, fields);
        redis.set(String.class).sadd(ALL, subject);
        return new User(subject, username, email, name, Set.copyOf(roles), false, now);
    }

    public Optional<User> bySubject(String subject) {
        return found(subject, hashes.hgetall(USER + subject));
    }

    /** The fields of a user that tokens need (never the password hash). */
    private static final RefreshTokenStore.UserRead FOR_TOKENS = new RefreshTokenStore.UserRead(USER,
            List.of("username", "email", "name", "roles", "disabled", "created"));

    /** What a refresh-token rotation reads of the family's user in its own round trip, where it can. */
    public RefreshTokenStore.UserRead forTokens() {
        return FOR_TOKENS;
    }

    /** The user whose fields a rotation read ({@link #forTokens}); empty for none (the user was deleted). */
    public Optional<User> fromFields(String subject, Map<String, String> fields) {
        return found(subject, fields);
    }

    /** {@link #bySubject} without blocking, for the refresh grant on the event loop. */
    public Uni<Optional<User>> bySubjectAsync(String subject) {
        return reactiveHashes.hgetall(USER + subject).map(fields -> found(subject, fields));
    }

    private static Optional<User> found(String subject, Map<String, String> fields) {
        return fields.isEmpty() ? Optional.empty() : Optional.of(toUser(subject, fields));
    }

    public Optional<User> byUsername(String username) {
        return Optional.ofNullable(redis.value(String.class).get(USERNAME + key(username))).flatMap(this::bySubject);
    }

    public List<User> all() {
        return redis.set(String.class).smembers(ALL).stream().sorted()
                .map(this::bySubject).flatMap(Optional::stream).toList();
    }

    /**
     * Checks a username and password. Unknown users, wrong passwords and disabled users all give empty, in
     * about the same time (a decoy hash is verified for unknown users).
     */
    public Optional<Verified> authenticate(String username, String password) {
        return authenticate(credential(username), password);
    }

    /** {@link #authenticate(String, String)} against a credential already read, such as the throttle's. */
    public Optional<Verified> authenticate(Credential credential, String password) {
        if (credential.subject() == null) {
            // OWASP Authentication Cheat Sheet: an unknown username costs the time of a real check, so the answer's
            // timing does not tell which usernames exist.
            hasher.verifyDecoy(password);
            return Optional.empty();
        }
        String stored = credential.hash();
        if (!hasher.verify(password, stored)) {
            return Optional.empty();
        }
        String subject = credential.subject();
        String current = hasher.needsRehash(stored) ? rehash(subject, stored, password) : stored;
        return bySubject(subject).filter(u -> !u.disabled()).map(u -> new Verified(u, current));
    }

    /**
     * The stored password hash behind a username, read once per sign-in so that the throttle's stamp and the check see
     * the same credential. Both fields are null when no one has the username.
     */
    public record Credential(String subject, String hash) {

        /** The {@link #credentialStamp(String, String) credential stamp}; for no one, a stamp no record holds. */
        public String stamp() {
            return subject == null ? "" : credentialStamp(subject, hash);
        }

        @Override
        public String toString() {
            return "Credential[subject=" + subject + "]";
        }
    }

    public Credential credential(String username) {
        String subject = redis.value(String.class).get(USERNAME + key(username));
        // An unknown username reads a record too (one no one has), so that the round trips do not tell which exist.
        String stored = hashes.hget(USER + (subject == null ? "" : subject), "password");
        return subject == null || stored == null ? new Credential(null, null) : new Credential(subject, stored);
    }

    /** A person whose password was just verified, and the hash stored then (a replacement of it, once upgraded). */
    public record Verified(User user, String hash) {

        /** This person's {@link #credentialStamp(String, String) credential stamp}. */
        public String credentialStamp() {
            return UserStore.credentialStamp(user.subject(), hash);
        }
    }

    /**
     * What a record tied to a person's sign-in is bound to: the person (their subject, never reused) and their
     * current password hash, digested. A reset, a delete, or a new account under the same username gives another.
     */
    public static String credentialStamp(String subject, String passwordHash) {
        return OpaqueTokens.hash(subject + "\n" + passwordHash);
    }

    /**
     * Whether the person of a sign-in still has the password it verified and is not disabled. A reset or a disable
     * writes the record before it ends the person's sessions, so a session made after that ending sees the change here.
     */
    public boolean unchangedSince(Verified verified) {
        Map<String, String> now = hashes.hgetall(USER + verified.user().subject());
        return verified.hash().equals(now.get("password")) && !"true".equals(now.get("disabled"));
    }

    /**
     * OWASP Password Storage Cheat Sheet (upgrading legacy hashes): the password is at hand only at sign-in, so a hash
     * with old parameters is replaced then. The sign-in succeeds either way; a replacement that could not run now
     * (every password-check slot busy, Redis failing) is tried again at the next one.
     */
    private String rehash(String subject, String stored, String password) {
        try {
            String replacement = hasher.hash(password);
            boolean replaced = replaceHash(subject, stored, replacement);
            LOG.debugf("Password hash of %s %s", subject,
                    replaced ? "replaced with today's parameters" : "changed meanwhile, not replaced");
            return replaced ? replacement : stored;
        } catch (PasswordHasher.Busy busy) {
            LOG.debugf("Password hash of %s not replaced: every password-check slot is busy", subject);
        } catch (RuntimeException e) {
            LOG.warnf("Password hash of %s not replaced with today's parameters, retried at the next sign-in: %s",
                    subject, e.toString());
        }
        return stored;
    }

    /** Stores {@code replacement} as the password hash while {@code verified} is still the stored one. */
    boolean replaceHash(String subject, String verified, String replacement) {
        return REPLACE_HASH.run(redis, List.of(USER + subject), List.of(verified, replacement)).toLong() == 1;
    }

    /** Changes the given fields; absent values stay as they are. */
    public Optional<User> update(String subject, String email, String name, Set<String> roles, Boolean disabled,
                                 String passwordHash) {
        List<String> args = new ArrayList<>();
        field(args, "email", email);
        field(args, "name", name);
        field(args, "roles", roles == null ? null : String.join(",", roles));
        field(args, "disabled", disabled == null ? null : disabled.toString());
        field(args, "password", passwordHash);
        if (args.isEmpty()) {
            return bySubject(subject);
        }
        // Checked and written in one step: a DELETE between a check and a plain HSET left a record with only the
        // changed fields, outside the user index.
        if (UPDATE_EXISTING.run(redis, List.of(USER + subject), args).toLong() == 0) {
            return Optional.empty();
        }
        return bySubject(subject);
    }

    /** A field and its value for HSET, when there is a value. */
    private static void field(List<String> args, String field, String value) {
        if (value != null) {
            args.add(field);
            args.add(value);
        }
    }

    public boolean delete(String subject) {
        Optional<User> user = bySubject(subject);
        if (user.isEmpty()) {
            return false;
        }
        // One key per command: on Redis Cluster the three live in different hash slots. The user first, so that a
        // failure part-way leaves a free username or a stale index entry, never a person who can still sign in.
        redis.key().del(USER + subject);
        redis.key().del(USERNAME + key(user.get().username()));
        redis.set(String.class).srem(ALL, subject);
        return true;
    }

    /** The index key of a username: its canonical form, or one no registered name can have when it has none. */
    private static String key(String username) {
        return Usernames.canonical(username).orElse("\u0000");
    }

    private static User toUser(String subject, Map<String, String> f) {
        Set<String> roles = new LinkedHashSet<>(Arrays.asList(f.getOrDefault("roles", "").split(",")));
        roles.remove("");
        return new User(subject, f.get("username"), f.get("email"), f.get("name"), roles,
                Boolean.parseBoolean(f.get("disabled")), Instant.ofEpochMilli(Long.parseLong(f.getOrDefault("created", "0"))));
    }
}
