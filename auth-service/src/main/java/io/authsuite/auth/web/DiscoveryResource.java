package io.authsuite.auth.web;

import io.authsuite.auth.clients.ResourceRegistry;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.Grants;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Authorization server metadata (RFC 8414) and OpenID Provider metadata (OpenID Connect Discovery 1.0). Both list
 * only what this server really does: the grant types come from the registered grant handlers.
 */
@Path("/.well-known")
public class DiscoveryResource {

    private final AuthConfig config;
    private final Grants grants;
    private final ResourceRegistry resources;

    public DiscoveryResource(AuthConfig config, Grants grants, ResourceRegistry resources) {
        this.config = config;
        this.grants = grants;
        this.resources = resources;
    }

    @GET
    @Path("/oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorizationServer() {
        return cacheable(metadata());
    }

    @GET
    @Path("/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openidConfiguration() {
        return cacheable(metadata());
    }

    Map<String, Object> metadata() {
        String issuer = config.issuer();
        Map<String, Object> m = new LinkedHashMap<>();
        // RFC 8414 §3.3: the issuer value MUST be identical to the issuer the metadata was fetched for.
        m.put("issuer", issuer);
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("jwks_uri", issuer + "/oauth2/jwks");
        m.put("grant_types_supported", new ArrayList<>(grants.types()));
        m.put("response_types_supported", List.of());
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("scopes_supported", new ArrayList<>(resources.allScopes()));
        return m;
    }

    private static Response cacheable(Map<String, Object> body) {
        return Response.ok(body).header("Cache-Control", "public, max-age=300").build();
    }
}
