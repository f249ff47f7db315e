package io.authsuite.resourceserver.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the space-delimited {@code scope} claim of an access token (RFC 9068 §2.2.3, RFC 6749 §3.3). */
public final class Scopes {

    private Scopes() {
    }

    public static Set<String> of(JsonWebToken token) {
        Object claim = token.getClaim("scope");
        Set<String> scopes = new LinkedHashSet<>();
        if (claim instanceof String s) {
            scopes.addAll(Arrays.asList(s.trim().split(" +")));
        } else if (claim instanceof jakarta.json.JsonString s) {
            scopes.addAll(Arrays.asList(s.getString().trim().split(" +")));
        } else if (claim instanceof Collection<?> c) {
            c.forEach(v -> scopes.add(String.valueOf(v).replace("\"", "")));
        }
        scopes.remove("");
        return scopes;
    }
}
