package io.authsuite.auth.token;

import io.authsuite.auth.clients.ClientAuthenticator;
import io.authsuite.auth.clients.ClientRates;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.web.Addresses;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import java.util.Map;

/**
 * The token endpoint (RFC 6749 §3.2): parses the request, authenticates the client, checks the client may use
 * the grant, and hands over to the one {@link GrantHandler} for that {@code grant_type}.
 */
@Path("/oauth2/token")
public class TokenEndpoint {

    /** Grants refused outright, with the rule that refuses them. */
    private static final Map<String, String> REFUSED = Map.of(
            "password", "the resource owner password credentials grant is not supported (RFC 9700 §2.4)",
            "implicit", "the implicit grant is not supported (RFC 9700 §2.1.2)");

    private final ClientAuthenticator authenticator;
    private final Grants grants;
    private final BrowserDelivery browser;
    private final ClientRates rates;

    public TokenEndpoint(ClientAuthenticator authenticator, Grants grants, BrowserDelivery browser, ClientRates rates) {
        this.rates = rates;
        this.authenticator = authenticator;
        this.grants = grants;
        this.browser = browser;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<TokenResponse> token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @HeaderParam("Origin") String origin,
                          @HeaderParam(BrowserDelivery.CUSTOM_HEADER) String customHeader,
                          @CookieParam(BrowserDelivery.COOKIE) String refreshCookie,
                          String body, @Context HttpServerRequest http) {
        // RFC 6749 §3.2: the client MUST use HTTP POST with application/x-www-form-urlencoded parameters.
        FormParameters form = FormParameters.parse(contentType, body);
        String grantType = form.require("grant_type");
        RegisteredClient client = authenticator.authenticate(authorization, form, Addresses.of(http));
        GrantHandler handler = grants.forType(grantType).orElseThrow(() ->
                OAuthError.unsupportedGrantType(REFUSED.getOrDefault(grantType, "grant type not supported")));
        if (!client.mayUse(grantType)) {
            throw OAuthError.unauthorizedClient("the client may not use " + grantType);
        }
        rates.count(client);
        BrowserDelivery.Mode mode = browser.prepare(form, client, refreshCookie, origin, customHeader);
        TokenResponse response = handler.handle(mode.form(), client);
        // RFC 6749 §5.1: responses carrying tokens MUST NOT be cached.
        // A typed answer: Quarkus then registers TokenResponse for the native image, where a Response would hide it.
        return browser.deliver(response, mode)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .build();
    }
}
