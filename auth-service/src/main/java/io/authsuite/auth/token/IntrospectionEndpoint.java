package io.authsuite.auth.token;

import io.authsuite.auth.clients.ResourceRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import io.authsuite.auth.clients.ClientAuthenticator;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.web.Addresses;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.store.RefreshTokenStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Token introspection (RFC 7662) for clients registered as resource servers. A token that is expired, revoked,
 * malformed, not ours, or not meant for the caller's audience is just {@code {"active":false}} (§2.2). An active
 * token is described as far as the caller serves it: its audiences and scopes for other resources are left out.
 */
@Path("/oauth2/introspect")
public class IntrospectionEndpoint {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final ClientAuthenticator authenticator;
    private final AccessTokenVerifier verifier;
    private final RefreshTokenStore refreshTokens;
    private final ResourceRegistry resources;

    public IntrospectionEndpoint(ClientAuthenticator authenticator, AccessTokenVerifier verifier,
                                 RefreshTokenStore refreshTokens, ResourceRegistry resources) {
        this.resources = resources;
        this.authenticator = authenticator;
        this.verifier = verifier;
        this.refreshTokens = refreshTokens;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body, @Context HttpServerRequest http) {
        FormParameters form = FormParameters.parse(contentType, body);
        RegisteredClient client = authenticator.authenticate(authorization, form, Addresses.source(http));
        if (client.isPublic()) {
            // RFC 7662 §2.1: the endpoint MUST require authorization (against token scanning); a public client only
            // names itself. Registration refuses introspection for one; this holds for any stored before that rule.
            throw OAuthError.invalidClient("the introspection endpoint requires client authentication");
        }
        if (!client.introspection()) {
            // RFC 7662 §4: only authorized protected resources may introspect.
            throw new OAuthError(403, "unauthorized_client", "the client may not introspect tokens", Map.of());
        }
        String token = form.require("token");
        Map<String, Object> answer = RefreshTokenStore.looksValid(token) ? refreshToken(token, client) : accessToken(token, client);
        return Response.ok(answer).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private Map<String, Object> accessToken(String token, RegisteredClient client) {
        Optional<JwtClaims> verified = verifier.verify(token);
        if (verified.isEmpty()) {
            return INACTIVE;
        }
        try {
            JwtClaims claims = verified.get();
            List<String> audiences = claims.getAudience();
            // RFC 7662 §4: a resource server learns only of the tokens meant for it; what a client may obtain
            // (its audiences) says nothing of what it is.
            Set<String> served = resources.audiencesServedBy(client.id());
            if (audiences.stream().noneMatch(served::contains)) {
                return INACTIVE;
            }
            // RFC 7662 §2.2: the server MAY limit which scopes each protected resource learns. The caller sees its
            // own audiences and the scopes meant for them, not the rest of the network the token reaches.
            String scope = claims.getClaimValueAsString("scope");
            String visible = scope == null ? "" : Arrays.stream(scope.split(" "))
                    .filter(s -> resources.audienceOf(s).filter(served::contains).isPresent())
                    .collect(Collectors.joining(" "));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("active", true);
            if (!visible.isEmpty()) {
                m.put("scope", visible);
            }
            m.put("client_id", claims.getClaimValueAsString("client_id"));
            m.put("sub", claims.getSubject());
            m.put("aud", audiences.stream().filter(served::contains).toList());
            m.put("iss", claims.getIssuer());
            m.put("exp", claims.getExpirationTime().getValue());
            m.put("iat", claims.getIssuedAt().getValue());
            m.put("jti", claims.getJwtId());
            Object cnf = claims.getClaimValue("cnf");
            if (cnf instanceof Map<?, ?> confirmation && confirmation.get("jkt") instanceof String jkt) {
                // RFC 9449 §6.2: a resource server that introspects learns the key the token is bound to.
                m.put("cnf", Map.of("jkt", jkt));
                m.put("token_type", "DPoP");
            } else {
                m.put("token_type", "Bearer");
            }
            return m;
        } catch (MalformedClaimException e) {
            return INACTIVE;
        }
    }

    private Map<String, Object> refreshToken(String token, RegisteredClient client) {
        // RFC 7662 §4: the server decides what a caller may learn; a refresh token is its owner's business only.
        return refreshTokens.describeActive(token, client.revokedBefore()).filter(d -> client.id().equals(d.get("client_id")))
                .<Map<String, Object>>map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("active", true);
            m.put("scope", d.get("scope"));
            m.put("client_id", d.get("client_id"));
            m.put("sub", d.get("sub"));
            m.put("exp", Long.parseLong(d.get("exp")));
            m.put("iat", Long.parseLong(d.get("iat")));
            m.put("token_type", "refresh_token");
            return m;
        }).orElse(INACTIVE);
    }
}
