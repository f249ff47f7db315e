package io.authsuite.auth.users;

import java.time.Instant;
import java.util.Set;

/**
 * A person who signs in. The subject id is stable and opaque: it is what tokens carry, never the username.
 */
public record User(String subject, String username, String email, String name, Set<String> roles,
                   boolean disabled, Instant createdAt) {

    public static final Set<String> ROLES = Set.of("user", "admin");
}
