package io.authsuite.auth.web;

import io.authsuite.auth.token.AccessTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Bearer-token checks for this server's own protected endpoints (userinfo, admin API), answering as RFC 6750 §3
 * says: 401 with {@code WWW-Authenticate: Bearer} for a missing or invalid token, 403 {@code insufficient_scope}.
 */
@ApplicationScoped
public class BearerTokens {

    private final AccessTokenVerifier verifier;

    public BearerTokens(AccessTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** The verified claims of the request's bearer token, which must carry every scope in {@code scopes}. */
    public JwtClaims require(String authorization, String... scopes) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // RFC 6750 §3.1: no credentials, so no error code.
            throw failure(401, "Bearer realm=\"auth-service\"", null, "a bearer access token is required");
        }
        JwtClaims claims = verifier.verify(authorization.substring(7).trim()).orElseThrow(() ->
                failure(401, "Bearer realm=\"auth-service\", error=\"invalid_token\"", "invalid_token",
                        "the access token is invalid or expired"));
        Set<String> granted = scopes(claims);
        for (String scope : scopes) {
            if (!granted.contains(scope)) {
                throw failure(403, "Bearer realm=\"auth-service\", error=\"insufficient_scope\", scope=\""
                        + String.join(" ", scopes) + "\"", "insufficient_scope", "the access token lacks scope " + scope);
            }
        }
        return claims;
    }

    /** A person with role {@code admin} and scope {@code users:manage}: the admin APIs. */
    public JwtClaims requireAdmin(String authorization) {
        JwtClaims claims = require(authorization, "users:manage");
        if (!groups(claims).contains("admin")) {
            throw failure(403, "Bearer realm=\"auth-service\", error=\"insufficient_scope\"",
                    "insufficient_scope", "the admin role is required");
        }
        return claims;
    }

    public static Set<String> scopes(JwtClaims claims) {
        Object scope = claims.getClaimValue("scope");
        return scope == null ? Set.of() : Arrays.stream(scope.toString().split(" ")).collect(Collectors.toSet());
    }

    public static Set<String> groups(JwtClaims claims) {
        Object groups = claims.getClaimValue("groups");
        if (groups instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.toSet());
        }
        return Set.of();
    }

    public static String subject(JwtClaims claims) {
        try {
            return claims.getSubject();
        } catch (MalformedClaimException e) {
            throw failure(401, "Bearer realm=\"auth-service\", error=\"invalid_token\"", "invalid_token", "no subject");
        }
    }

    public static WebApplicationException failure(int status, String challenge, String error, String description) {
        Response.ResponseBuilder builder = OAuthErrorMappers.error(status,
                error == null ? "unauthorized" : error, description)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return new WebApplicationException(builder.build());
    }
}
