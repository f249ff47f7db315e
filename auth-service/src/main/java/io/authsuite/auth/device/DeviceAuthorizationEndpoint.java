package io.authsuite.auth.device;

import io.authsuite.auth.clients.ClientAuthenticator;
import io.authsuite.auth.clients.ClientRates;
import io.authsuite.auth.clients.ClientThrottle;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.token.ScopePolicy;
import io.authsuite.auth.web.Addresses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The device authorization endpoint (RFC 8628 §3.1-3.2): a device asks for a code the person enters elsewhere. */
@Path("/oauth2/device_authorization")
public class DeviceAuthorizationEndpoint {

    private final ClientAuthenticator authenticator;
    private final ScopePolicy scopes;
    private final DeviceCodeStore store;
    private final AuthConfig config;
    private final ClientRates rates;
    private final ClientThrottle throttle;

    public DeviceAuthorizationEndpoint(ClientAuthenticator authenticator, ScopePolicy scopes, DeviceCodeStore store,
                                       AuthConfig config, ClientRates rates, ClientThrottle throttle) {
        this.rates = rates;
        this.throttle = throttle;
        this.authenticator = authenticator;
        this.scopes = scopes;
        this.store = store;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorize(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body,
                              @Context HttpServerRequest http) {
        FormParameters form = FormParameters.parse(contentType, body);
        RegisteredClient client = authenticator.authenticate(authorization, form, Addresses.source(http));
        if (!client.mayUse(DeviceCodeGrant.GRANT_TYPE)) {
            throw OAuthError.unauthorizedClient("the client may not use the device authorization grant");
        }
        throttle.deviceAuthorization(Addresses.source(http));
        rates.count(client, Addresses.source(http));
        // RFC 8707 §2.1, as at the authorization endpoint: resources named here restrict the whole grant.
        Set<String> targets = scopes.targets(client, form.all("resource"));
        Set<String> granted = scopes.forResources(scopes.allowed(client, form.get("scope").orElse(null)), targets,
                form.get("scope").isPresent());
        scopes.audiences(client, granted);
        DeviceCodeStore.Issued issued = store.create(client.id(), String.join(" ", granted));
        String verification = config.issuer() + "/device";
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("device_code", issued.deviceCode());
        response.put("user_code", issued.userCode());
        response.put("verification_uri", verification);
        response.put("verification_uri_complete", verification + "?user_code=" + issued.userCode());
        response.put("expires_in", issued.expiresIn());
        response.put("interval", issued.interval());
        return Response.ok(response).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
