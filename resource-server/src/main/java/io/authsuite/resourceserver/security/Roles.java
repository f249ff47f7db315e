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
        if (!has(token, role)) {
            throw new ForbiddenException("the " + role + " role is required");
        }
    }
}
