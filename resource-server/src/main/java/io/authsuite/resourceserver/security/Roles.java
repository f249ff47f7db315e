package io.authsuite.resourceserver.security;

import io.quarkus.security.ForbiddenException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Role checks on top of scope checks: a person's roles arrive in the token's {@code groups} claim. */
public final class Roles {

    public static final String ADMIN = "admin";

    private Roles() {
    }

    public static boolean has(JsonWebToken token, String role) {
        return token.getGroups() != null && token.getGroups().contains(role);
    }

    /** Refuses (403) a token without the role. */
    public static void require(JsonWebToken token, String role) {
        // RFC 9068 §2.2.3.1 and §7.2: roles travel in "groups"; RFC 6750 §3.1: a valid token that may not do this is
        // answered 403.
        if (!has(token, role)) {
            throw new ForbiddenException("the " + role + " role is required");
        }
    }
}
