package io.authsuite.resourceserver.security;

import io.authsuite.dpop.DpopProofs;
import io.authsuite.resourceserver.dpop.DpopChallenges;
import io.authsuite.resourceserver.web.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * RFC 6750 §3 challenges for the resource services: 401 with {@code WWW-Authenticate: Bearer} for a missing
 * or bad token, 403 with {@code error="insufficient_scope"} and the needed scope for a token that lacks it. A request
 * made with the {@code DPoP} scheme gets the same errors in a {@code DPoP} challenge instead (RFC 9449 §7.1).
 *
 * <p>An expired token is told apart from an invalid one by {@code error_description} and by the body's
 * {@code code} member ({@code TOKEN_EXPIRED} or {@code TOKEN_INVALID}), so a client knows to refresh rather than
 * sign in again.
 */
public class BearerChallenges {

    public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
    public static final String TOKEN_INVALID = "TOKEN_INVALID";

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "api")
    String realm;

    @ServerExceptionMapper
    public Response missing(UnauthorizedException e) {
        // RFC 6750 §3.1: a request without credentials gets a challenge with no error code.
        return Problem.of(Response.Status.UNAUTHORIZED, "A bearer access token is required")
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"")
                // RFC 9449 §7.1: a resource server that accepts DPoP offers it beside Bearer.
                .header(HttpHeaders.WWW_AUTHENTICATE, DpopChallenges.CHALLENGE)
                .build();
    }

    @ServerExceptionMapper
    public Response invalid(AuthenticationFailedException e, HttpHeaders request) {
        io.authsuite.dpop.DpopRefusal dpop = io.authsuite.dpop.DpopRefusal.in(e);
        if (dpop != null) {
            return DpopChallenges.refused(dpop);
        }
        boolean expired = expired(e);
        String description = expired ? "The access token expired" : "The access token is invalid";
        // RFC 6750 §3.1: invalid_token for an expired, revoked, malformed or otherwise invalid token.
        return Problem.of(Response.Status.UNAUTHORIZED, description)
                .withError("invalid_token")
                // TOKEN_EXPIRED: refresh and retry; TOKEN_INVALID: the client must obtain a new grant.
                .withCode(expired ? TOKEN_EXPIRED : TOKEN_INVALID)
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge(request, "invalid_token", description, null))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, SimpleResourceInfo resource, HttpHeaders request) {
        // A refusal with its own reason (say, a person calling a service-only endpoint) names no scope.
        String reason = e.getMessage();
        // RFC 6750 §3: the scope attribute names what the request needs.
        String scope = reason == null ? requiredScope(resource) : "";
        String detail = reason != null ? "The access token does not allow this request: " + reason
                : scope.isEmpty() ? "The access token does not allow this request"
                : "The access token lacks the scope " + scope;
        return Problem.of(Response.Status.FORBIDDEN, detail)
                .withError("insufficient_scope")
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge(request, "insufficient_scope", null, scope))
                .build();
    }

    /** The challenge of a 401 or 403 with an error; an empty {@code description} or {@code scope} is left out. */
    private String challenge(HttpHeaders request, String error, String description, String scope) {
        List<String> authorization = request == null ? null : request.getRequestHeader(HttpHeaders.AUTHORIZATION);
        return challenge(realm, authorization == null || authorization.isEmpty() ? null : authorization.get(0), error,
                description, scope);
    }

    /**
     * The challenge naming {@code error} for a request whose (first) Authorization header is {@code authorization},
     * null when it had none; an empty {@code description} or {@code scope} is left out.
     */
    public static String challenge(String realm, String authorization, String error, String description,
                                   String scope) {
        // RFC 9449 §7.1: a request made with the DPoP scheme is answered with a DPoP challenge, never a Bearer one.
        if (authorization != null && DpopProofs.isDpopScheme(authorization)) {
            return DpopChallenges.challenge(error, description, scope);
        }
        return "Bearer realm=\"" + realm + "\"" + DpopChallenges.errorParams(error, description, scope);
    }

    private static String requiredScope(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return "";
        }
        try {
            Method method = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            PermissionsAllowed allowed = method.getAnnotation(PermissionsAllowed.class);
            if (allowed == null) {
                allowed = resource.getResourceClass().getAnnotation(PermissionsAllowed.class);
            }
            return allowed == null ? "" : Arrays.stream(allowed.value()).collect(Collectors.joining(" "));
        } catch (NoSuchMethodException e) {
            return "";
        }
    }

    static boolean expired(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TokenRefused refused && refused.expired()) {
                return true;
            }
            if (t instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return true;
            }
        }
        return false;
    }
}
