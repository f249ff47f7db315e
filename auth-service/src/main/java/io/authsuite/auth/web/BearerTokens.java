package io.authsuite.auth.web;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.AccessTokenVerifier;
import io.authsuite.dpop.DpopProofs;
import io.authsuite.dpop.DpopRefusal;
import io.authsuite.dpop.DpopVerifier;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Access-token checks for this server's own protected endpoints (userinfo, account, admin API): the token must carry
 * the endpoint's scopes and name this server (its issuer) among its audiences. Answers as RFC 6750 §3 says: 401 with
 * {@code WWW-Authenticate: Bearer} (or {@code DPoP}, for a token sent with that scheme) for a missing or invalid
 * token, 403 {@code insufficient_scope}. A token bound to a
 * DPoP key is accepted only with the DPoP scheme and a proof of that key (RFC 9449 §7), as at the resource services.
 */
@ApplicationScoped
public class BearerTokens {

    private static final String DPOP_CHALLENGE = DpopProofs.CHALLENGE;
    /** The scope of the admin API for users. */
    public static final String USERS_MANAGE = "users:manage";

    private final AccessTokenVerifier verifier;
    private final DpopVerifier dpop;
    private final Instance<HttpServerRequest> request;
    private final String issuer;
    private final Duration redisTimeout;
    private final Duration stepUpMaxAge;

    public BearerTokens(AccessTokenVerifier verifier, DpopVerifier dpop, Instance<HttpServerRequest> request,
                        AuthConfig config,
                        @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration redisTimeout) {
        this.verifier = verifier;
        this.dpop = dpop;
        this.request = request;
        this.issuer = config.issuer();
        this.redisTimeout = redisTimeout;
        this.stepUpMaxAge = config.admin().stepUpMaxAge();
    }

    /** The verified claims of the request's access token, which must carry every scope in {@code scopes}. */
    public JwtClaims require(String authorization, String... scopes) {
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        boolean dpopScheme = DpopProofs.isDpopScheme(authorization);
        if (!bearer && !dpopScheme) {
            // RFC 6750 §3.1: no credentials, so no error code; RFC 9449 §7.1: DPoP is offered beside Bearer.
            throw failure(401, "Bearer realm=\"auth-service\"", null, "an access token is required")
                    .challenge(DPOP_CHALLENGE).exception();
        }
        String token = authorization.substring(bearer ? 7 : 5).trim();
        JwtClaims claims = verifier.verify(token).orElseThrow(() ->
                refusal(authorization, 401, "invalid_token", "the access token is invalid or expired", "").exception());
        checkBinding(claims, token, dpopScheme);
        Set<String> granted = scopes(claims);
        for (String scope : scopes) {
            if (!granted.contains(scope)) {
                throw refusal(authorization, 403, "insufficient_scope", "the access token lacks scope " + scope,
                        ", scope=\"" + String.join(" ", scopes) + "\"").exception();
            }
        }
        if (!audiences(claims).contains(issuer)) {
            // RFC 9068 §4: a resource server MUST refuse a token whose aud does not name it. This server's own APIs
            // are named by the issuer, which every token with their scopes carries (ScopePolicy.audiences); checked
            // after the scopes, so that a token lacking one still hears which.
            throw refusal(authorization, 401, "invalid_token", "the access token is not meant for this server", "")
                    .exception();
        }
        return claims;
    }

    /** A person with role {@code admin} and scope {@code users:manage}: the admin API for users. */
    public JwtClaims requireAdmin(String authorization) {
        return requireAdmin(authorization, USERS_MANAGE);
    }

    /**
     * A person with role {@code admin} and {@code scope} who signed in within {@code auth.admin.step-up-max-age}: an
     * admin change that hands over or destroys access.
     */
    public JwtClaims requireAdminRecentlySignedIn(String authorization, String scope) {
        JwtClaims claims = requireAdmin(authorization, scope);
        Object authTime = claims.getClaimValue("auth_time");
        long maxAge = stepUpMaxAge.toSeconds();
        // RFC 9470 §3: a sign-in older than the resource accepts is insufficient_user_authentication, with the
        // max_age the client asks the authorization server for (OIDC Core §3.1.2.1) when it signs the person in again.
        if (!(authTime instanceof Number signedIn) || !signedInWithin(signedIn.longValue(), stepUpMaxAge)) {
            String description = "this change needs a sign-in within the last " + maxAge + " seconds";
            throw refusal(authorization, 401, "insufficient_user_authentication", description,
                    ", error_description=\"" + description + "\", max_age=\"" + maxAge + "\"").exception();
        }
        return claims;
    }

    /** Whether a sign-in at {@code authTime} (epoch seconds) is recent enough for an admin change. */
    public static boolean signedInWithin(long authTime, Duration maxAge) {
        return java.time.Instant.now().getEpochSecond() - authTime <= maxAge.toSeconds();
    }

    /** A person with role {@code admin} and {@code scope}: an admin API. */
    public JwtClaims requireAdmin(String authorization, String scope) {
        JwtClaims claims = require(authorization, scope);
        if (!groups(claims).contains("admin")) {
            throw refusal(authorization, 403, "insufficient_scope", "the admin role is required", "").exception();
        }
        return claims;
    }

    public static Set<String> scopes(JwtClaims claims) {
        Object scope = claims.getClaimValue("scope");
        return scope == null ? Set.of() : Arrays.stream(scope.toString().split(" ")).collect(Collectors.toSet());
    }

    private static List<String> audiences(JwtClaims claims) {
        try {
            return claims.getAudience();
        } catch (MalformedClaimException e) {
            return List.of();
        }
    }

    public static Set<String> groups(JwtClaims claims) {
        Object groups = claims.getClaimValue("groups");
        if (groups instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.toSet());
        }
        return Set.of();
    }

    /** The {@code sub} of claims {@link #require} verified: AccessTokenVerifier already refused a token without one. */
    public static String subject(JwtClaims claims) {
        try {
            return claims.getSubject();
        } catch (MalformedClaimException e) {
            throw failure(401, "Bearer realm=\"auth-service\", error=\"invalid_token\"", "invalid_token", "no subject")
                    .exception();
        }
    }

    /**
     * RFC 9449 §7.1: a token bound to a key ({@code cnf.jkt}) needs the DPoP scheme and a proof of that key made for
     * this request; the DPoP scheme with an unbound token is refused too.
     */
    private void checkBinding(JwtClaims claims, String token, boolean dpopScheme) {
        String jkt = claims.getClaimValue("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String s ? s : null;
        if (jkt == null) {
            if (dpopScheme) {
                throw dpopFailure(new DpopRefusal(DpopRefusal.INVALID_TOKEN, "the access token is not bound to a DPoP key"));
            }
            return;
        }
        if (!dpopScheme) {
            throw dpopFailure(new DpopRefusal(DpopRefusal.INVALID_TOKEN,
                    "the access token is bound to a DPoP key: send it with the DPoP scheme and a proof"));
        }
        HttpServerRequest http = request.get();
        try {
            String proof = DpopProofs.single(http.headers().getAll("DPoP"));
            // The htu is this endpoint as the issuer publishes it, never as the Host header names it.
            dpop.verify(proof, http.method().name(), issuer + http.path(), token, jkt).await().atMost(redisTimeout);
        } catch (DpopProofs.InvalidProofException e) {
            throw dpopFailure(new DpopRefusal(DpopRefusal.INVALID_PROOF, e.getMessage()));
        } catch (DpopRefusal e) {
            throw dpopFailure(e);
        }
    }

    private static WebApplicationException dpopFailure(DpopRefusal refusal) {
        // Already fit for a quoted string: DpopRefusal keeps its text to the error_description characters.
        String description = refusal.getMessage();
        Failure failure = failure(401, DPOP_CHALLENGE + ", error=\"" + refusal.error() + "\", error_description=\""
                + description + "\"", refusal.error(), description);
        if (refusal.nonce() != null) {
            // RFC 9449 §9: use_dpop_nonce comes with the nonce to use.
            failure.builder.header("DPoP-Nonce", refusal.nonce());
        }
        return failure.exception();
    }

    /** An error answer being built: its status, RFC 6749-shaped body and challenges. */
    public static final class Failure {
        private final Response.ResponseBuilder builder;

        private Failure(Response.ResponseBuilder builder) {
            this.builder = builder;
        }

        public Failure challenge(String challenge) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
            return this;
        }

        public WebApplicationException exception() {
            return new WebApplicationException(builder.build());
        }
    }

    /**
     * The refusal of a request that sent an access token: a challenge in the scheme the token came with, with
     * {@code error} and then {@code params} (each starting with a comma). RFC 9449 §7.1: a request made with the DPoP
     * scheme is answered with a DPoP challenge, as the resource services answer it.
     */
    public static Failure refusal(String authorization, int status, String error, String description, String params) {
        return failure(status, challenge(authorization, error, params), error, description);
    }

    /** The challenge of {@link #refusal}: in the scheme the token came with, naming {@code error}, then {@code params}. */
    public static String challenge(String authorization, String error, String params) {
        String scheme = DpopProofs.isDpopScheme(authorization) ? DPOP_CHALLENGE : "Bearer realm=\"auth-service\"";
        return scheme + ", error=\"" + error + "\"" + params;
    }

    public static Failure failure(int status, String challenge, String error, String description) {
        Response.ResponseBuilder builder = OAuthErrorMappers.error(status,
                error == null ? "unauthorized" : error, description)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return new Failure(builder);
    }
}
