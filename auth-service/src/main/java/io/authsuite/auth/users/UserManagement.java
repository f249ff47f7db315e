package io.authsuite.auth.users;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.TokenRevocation;
import io.authsuite.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Changes to users, made by an admin through the JSON API or the console: validated alike, audited alike, and with the
 * same consequences. Disabling a user, deleting one or resetting a password logs them out everywhere.
 */
@ApplicationScoped
public class UserManagement {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");

    private static final String ADMIN_CHANGE_LOCK = "auth:users:admin-change-lock";
    /** KEYS[1] the lock; ARGV[1] its holder's token. Deletes it only for its holder, after an expiry or not. */
    private static final LuaScript RELEASE = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);

    private final RedisDataSource redis;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final TokenRevocation revocation;

    public UserManagement(RedisDataSource redis, UserStore users, PasswordHasher hasher, TokenRevocation revocation,
                          AuditLog audit) {
        this.redis = redis;
        this.users = users;
        this.hasher = hasher;
        this.revocation = revocation;
        this.audit = audit;
    }

    public List<User> all() {
        return users.all();
    }

    /** Users whose username, name or email contains {@code query} (any case); all of them for a blank query. */
    public List<User> search(String query) {
        if (query == null || query.isBlank()) {
            return users.all();
        }
        String q = query.strip().toLowerCase(Locale.ROOT);
        return users.all().stream().filter(u -> contains(u.username(), q) || contains(u.name(), q)
                || contains(u.email(), q)).toList();
    }

    private static boolean contains(String value, String query) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(query);
    }

    public User get(String subject) {
        return users.bySubject(subject).orElseThrow(UserManagement::notFound);
    }

    /** "Log out everywhere" for a user: sessions, refresh families and live access tokens end now. */
    public void logoutEverywhere(String admin, String subject) {
        get(subject);
        revocation.logoutEverywhere(subject);
        changed(admin, "logout_everywhere", subject);
    }

    /** @throws OAuthError 400 for an invalid input, 409 when the username is taken */
    public User create(String admin, UserInput input) {
        if (input == null || input.username() == null || !USERNAME.matcher(input.username()).matches()) {
            throw OAuthError.invalidRequest("username must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        validatePassword(input.password(), true);
        validate(input);
        try {
            User user = users.create(input.username(), hasher.hash(input.password()), nullToEmpty(input.email()),
                    nullToEmpty(input.name()), input.roles() == null ? Set.of("user") : input.roles());
            if (Boolean.TRUE.equals(input.disabled())) {
                user = users.update(user.subject(), null, null, null, true, null).orElseThrow();
            }
            changed(admin, "create", user.subject(), java.util.Map.of("roles_after", roles(user.roles()),
                    "disabled", Boolean.toString(user.disabled())));
            return user;
        } catch (UserStore.UsernameTakenException e) {
            throw new OAuthError(409, "conflict", "the username is taken", java.util.Map.of());
        }
    }

    /** Changes what {@code input} holds; absent fields stay. @throws OAuthError 400, or 404 for no such user */
    public User update(String admin, String subject, UserInput input) {
        if (input == null) {
            throw OAuthError.invalidRequest("a JSON body is required");
        }
        if (input.username() != null) {
            throw OAuthError.invalidRequest("the username cannot be changed");
        }
        validatePassword(input.password(), false);
        validate(input);
        boolean removesAdmin = Boolean.TRUE.equals(input.disabled())
                || (input.roles() != null && !input.roles().contains("admin"));
        if (subject.equals(admin) && removesAdmin) {
            throw lockout();
        }
        Set<String> rolesBefore = get(subject).roles();
        String passwordHash = input.password() == null ? null : hasher.hash(input.password());
        User user = removesAdmin
                ? asStillAdmin(admin, () -> users.update(subject, input.email(), input.name(), input.roles(),
                        input.disabled(), passwordHash))
                : users.update(subject, input.email(), input.name(), input.roles(), input.disabled(), passwordHash)
                        .orElseThrow(UserManagement::notFound);
        if (user.disabled() || input.password() != null) {
            // A disabled user, or one whose password was reset, keeps no grant alive.
            revocation.logoutEverywhere(subject);
        } else if (!user.roles().equals(rolesBefore)) {
            // RFC 9068 §2.2.3.1: roles are authorization attributes carried in the token; old ones must not outlive
            // the change in tokens that were issued with them.
            revocation.rolesChanged(subject);
        }
        // One request may reset the password, disable and change roles at once: every part is in the record.
        java.util.Map<String, String> what = new java.util.HashMap<>();
        if (!user.roles().equals(rolesBefore)) {
            what.put("roles_before", roles(rolesBefore));
            what.put("roles_after", roles(user.roles()));
        }
        if (input.password() != null) {
            what.put("password_reset", "true");
        }
        if (input.disabled() != null) {
            what.put("disabled", input.disabled().toString());
        }
        changed(admin, input.password() != null ? "reset_password" : Boolean.TRUE.equals(input.disabled()) ? "disable"
                : Boolean.FALSE.equals(input.disabled()) ? "enable" : "update", subject, what);
        return user;
    }

    /**
     * Disables the user, refuses their access tokens, logs them out everywhere, then deletes them. Disabled first,
     * because every sign-in and grant refuses a disabled user, so no grant can start behind the logout; their live
     * access tokens refused next (one write), so that a logout failing part-way leaves none of them usable; and
     * deleted last, because a logout that fails (Redis failing over) must leave the user for the retry of the delete
     * to find, not a 404 with their sessions and families still in place.
     *
     * @throws OAuthError 404 for no such user
     */
    public void delete(String admin, String subject) {
        if (subject.equals(admin)) {
            throw lockout();
        }
        asStillAdmin(admin, () -> users.update(subject, null, null, null, true, null));
        try {
            revocation.denyEarlierAccessTokens(subject);
            revocation.logoutEverywhere(subject);
        } catch (RuntimeException e) {
            changed(admin, "disable", subject, java.util.Map.of("disabled", "true", "delete", "incomplete"));
            throw e;
        }
        asStillAdmin(admin, () -> users.delete(subject) ? Optional.of(Boolean.TRUE) : Optional.<Boolean>empty());
        changed(admin, "delete", subject);
    }

    /**
     * Runs a change that can take an admin away (disable, demote, delete) while no other such change runs on any
     * replica, and only if {@code admin} is still an enabled admin when it starts. Two admins demoting each other at
     * the same moment would otherwise both pass the self-check and leave none: serialised, the second finds its actor
     * demoted and is refused, so the first one's actor remains.
     *
     * @throws OAuthError 403 when the actor lost the admin role or was disabled meanwhile, 404 when the change found no
     *         user, 503 when another such change held the lock too long
     */
    private <T> T asStillAdmin(String admin, java.util.function.Supplier<Optional<T>> change) {
        String token = java.util.UUID.randomUUID().toString();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
        while (redis.execute("SET", ADMIN_CHANGE_LOCK, token, "NX", "PX", "10000") == null) {
            if (System.nanoTime() > deadline) {
                throw new OAuthError(503, "temporarily_unavailable", "another change to an admin is in progress",
                        java.util.Map.of());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OAuthError(503, "temporarily_unavailable", "interrupted", java.util.Map.of());
            }
        }
        try {
            boolean stillAdmin = users.bySubject(admin).filter(u -> !u.disabled() && u.roles().contains("admin"))
                    .isPresent();
            if (!stillAdmin) {
                throw new OAuthError(403, "access_denied", "the acting admin was disabled or demoted meanwhile",
                        java.util.Map.of());
            }
            return change.get().orElseThrow(UserManagement::notFound);
        } finally {
            RELEASE.run(redis, List.of(ADMIN_CHANGE_LOCK), List.of(token));
        }
    }

    /**
     * An admin may not disable, demote or delete themselves: every change is made by an enabled admin to someone else,
     * so the server always keeps one, and a slip cannot leave it with none (only Redis could bring one back).
     */
    private static OAuthError lockout() {
        return new OAuthError(409, "conflict", "an admin cannot disable, demote or delete themselves; another admin can",
                java.util.Map.of());
    }

    private void changed(String admin, String action, String user) {
        changed(admin, action, user, java.util.Map.of());
    }

    /**
     * Audits a change of a user with what it changed beyond the action's name: a grant or removal of roles is a
     * change of privilege, and the trail must say which (OWASP Logging Cheat Sheet, ASVS V7.2).
     */
    private void changed(String admin, String action, String user, java.util.Map<String, String> more) {
        java.util.Map<String, String> details = new java.util.TreeMap<>(more);
        details.put("action", action);
        details.put("user", user);
        audit.success(AuditTypes.ADMIN_USER_CHANGE, admin, null, details);
    }

    private static String roles(Set<String> roles) {
        return String.join(" ", new java.util.TreeSet<>(roles));
    }

    private static void validate(UserInput input) {
        if (input.email() != null && (!EMAIL.matcher(input.email()).matches() || hidden(input.email()))) {
            throw OAuthError.invalidRequest("email is not an email address");
        }
        if (input.name() != null && input.name().length() > 200) {
            throw OAuthError.invalidRequest("name is too long");
        }
        if (input.name() != null && hidden(input.name())) {
            // Shown in the console and carried in ID Tokens: a name that reads otherwise than it is stored (a
            // right-to-left override, a NUL) would mislead whoever reads it.
            throw OAuthError.invalidRequest("name may not hold control or formatting characters");
        }
        if (input.roles() != null && (input.roles().stream().anyMatch(java.util.Objects::isNull)
                || !User.ROLES.containsAll(input.roles()))) {
            throw OAuthError.invalidRequest("roles must be among " + User.ROLES);
        }
    }

    /** Whether a value holds a control character or an invisible formatting one (bidi overrides, zero widths). */
    static boolean hidden(String value) {
        return value.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || Character.getType(c) == Character.FORMAT);
    }

    private static void validatePassword(String password, boolean required) {
        if (password == null) {
            if (required) {
                throw OAuthError.invalidRequest("password is required");
            }
            return;
        }
        // NIST SP 800-63B §5.1.1.2: at least 8 characters; long passphrases allowed.
        if (password.length() < 8 || password.length() > 1024) {
            throw OAuthError.invalidRequest("password must be 8 to 1024 characters");
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static OAuthError notFound() {
        return new OAuthError(404, "not_found", "no such user", java.util.Map.of());
    }
}
