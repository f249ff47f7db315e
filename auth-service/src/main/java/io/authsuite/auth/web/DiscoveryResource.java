package io.authsuite.auth.web;

import io.authsuite.auth.clients.ClientAssertions;
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
        m.put("authorization_endpoint", issuer + "/oauth2/authorize");
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
        m.put("end_session_endpoint", issuer + "/oauth2/logout");
        m.put("device_authorization_endpoint", issuer + "/oauth2/device_authorization");
        if (config.registration().enabled()) {
            // RFC 8414 §2: present only when dynamic registration (RFC 7591) is served.
            m.put("registration_endpoint", issuer + "/oauth2/register");
        }
        // RFC 9126 §5: pushed authorization requests are served, and required when so configured.
        m.put("pushed_authorization_request_endpoint", issuer + "/oauth2/par");
        m.put("require_pushed_authorization_requests", config.authorizationCode().requirePushedRequests());
        // RFC 9101 §10.5: whether every authorization request must be a signed request object.
        m.put("require_signed_request_object", config.authorizationCode().requireSignedRequests());
        m.put("revocation_endpoint", issuer + "/oauth2/revoke");
        m.put("introspection_endpoint", issuer + "/oauth2/introspect");
        m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post",
                "private_key_jwt", "none"));
        m.put("revocation_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post",
                "private_key_jwt"));
        m.put("introspection_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
        m.put("jwks_uri", issuer + "/oauth2/jwks");
        List<String> scopes = new ArrayList<>(List.of("openid", "profile", "email"));
        scopes.addAll(resources.allScopes());
        m.put("scopes_supported", scopes);
        // RFC 9700 §2.1.2: only the code flow; no implicit or hybrid response types.
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", new ArrayList<>(grants.types()));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post",
                "private_key_jwt", "none"));
        // RFC 8414 §2: the algorithms of private_key_jwt assertions (RFC 7523); asymmetric only.
        m.put("token_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
        // RFC 9700 §2.1.1: PKCE with S256 only.
        m.put("code_challenge_methods_supported", List.of("S256"));
        // RFC 9449 §5.1: the algorithms this server accepts in DPoP proofs.
        m.put("dpop_signing_alg_values_supported", io.authsuite.dpop.DpopProofs.ALGS);
        m.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "azp",
                "name", "preferred_username", "email"));
        m.put("prompt_values_supported", io.authsuite.auth.authorize.AuthorizationRequests.PROMPTS);
        m.put("authorization_response_iss_parameter_supported", true);
        // RFC 9101 §10.5 / OIDC Discovery §3: signed request objects, by value or pushed (RequestObjects).
        m.put("request_parameter_supported", true);
        m.put("request_object_signing_alg_values_supported", io.authsuite.auth.requestobject.RequestObjects.ALGORITHMS);
        // OIDC Discovery §3: request objects fetched by URL; a pushed request's request_uri (RFC 9126) is not one.
        m.put("request_uri_parameter_supported", false);
        m.put("claims_parameter_supported", false);
        return m;
    }

    private static Response cacheable(Map<String, Object> body) {
        return Response.ok(body).header("Cache-Control", "public, max-age=300").build();
    }
}
