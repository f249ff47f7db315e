package io.authsuite.auth.par;

import io.authsuite.auth.authorize.AuthorizationRequests;
import io.authsuite.auth.authorize.AuthorizeError;
import io.authsuite.auth.clients.ClientAuthenticator;
import io.authsuite.auth.clients.ClientRates;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.DpopKey;
import io.authsuite.auth.dpop.TokenRequestProofs;
import io.authsuite.auth.requestobject.RequestObjects;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.web.Addresses;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The pushed authorization request endpoint (RFC 9126): a client sends its authorization request here, directly and
 * authenticated, and sends the browser to the authorization endpoint with only {@code client_id} and the
 * {@code request_uri} it got back. The request's parameters then never pass through the browser, cannot be changed
 * there, and are checked before the person is involved.
 */
@Path("/oauth2/par")
public class PushedAuthorizationEndpoint {

    /** Client credentials sent with the push: used to authenticate it, never stored with the request. */
    private static final String[] CREDENTIALS = {"client_secret", "client_assertion", "client_assertion_type"};

    /** RFC 9126 §2.2: the answer, 201 Created. */
    @RegisterForReflection
    public record PushedResponse(@com.fasterxml.jackson.annotation.JsonProperty("request_uri") String requestUri,
                                 @com.fasterxml.jackson.annotation.JsonProperty("expires_in") long expiresIn) {
    }

    private final ClientAuthenticator authenticator;
    private final ClientRates rates;
    private final AuthorizationRequests requests;
    private final PushedRequests pushed;
    private final TokenRequestProofs proofs;
    private final RequestObjects requestObjects;

    public PushedAuthorizationEndpoint(ClientAuthenticator authenticator, ClientRates rates,
                                       AuthorizationRequests requests, PushedRequests pushed,
                                       TokenRequestProofs proofs, RequestObjects requestObjects) {
        this.requestObjects = requestObjects;
        this.proofs = proofs;
        this.authenticator = authenticator;
        this.rates = rates;
        this.requests = requests;
        this.pushed = pushed;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<PushedResponse> push(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                             String body, @Context HttpServerRequest http) {
        FormParameters form = FormParameters.parse(contentType, body);
        // RFC 9126 §2: the client authenticates as it would at the token endpoint (a public client sends client_id).
        RegisteredClient client = authenticator.authenticate(authorization, form, Addresses.source(http));
        if (form.get("client_id").filter(id -> !id.equals(client.id())).isPresent()) {
            throw OAuthError.invalidRequest("client_id does not name the authenticated client");
        }
        // Each push stores a request: a client's pushes count against its request rate, as its token requests do.
        rates.count(client, Addresses.source(http));
        if (form.get("request_uri").isPresent()) {
            // RFC 9126 §2.1: the authorization server MUST reject a pushed request that carries request_uri.
            throw OAuthError.invalidRequest("request_uri cannot be pushed");
        }
        FormParameters request = form.without(CREDENTIALS).with("client_id", client.id());
        Optional<String> requestObject = form.get("request");
        boolean signed = requestObject.isPresent();
        if (!signed && requests.mustBeSigned(client)) {
            // RFC 9101 §10.5: require_signed_request_object; the request must come as a request object.
            throw OAuthError.invalidRequest(requests.unsignedRefusal(client.id()));
        }
        if (signed) {
            try {
                // RFC 9126 §3: a pushed request object, signed by the authenticated client; RFC 9101 §6.3: only its
                // claims are the request.
                request = requestObjects.parameters(requestObject.get(), client.id());
            } catch (RequestObjects.InvalidRequestObject e) {
                throw new OAuthError(400, "invalid_request_object", e.getMessage(), Map.of());
            }
        }
        DpopKey key = proofs.checkPushedRequest(http).await().indefinitely();
        if (key.bound()) {
            // RFC 9449 §10.1: a proof with the push binds the code as dpop_jkt would, and both must name one key.
            if (request.get("dpop_jkt").filter(jkt -> !jkt.equals(key.jkt())).isPresent()) {
                throw OAuthError.invalidRequest("dpop_jkt does not match the key of the DPoP proof");
            }
            request = request.with("dpop_jkt", key.jkt());
        }
        try {
            // RFC 9126 §2.1: the pushed request is checked as an authorization request would be.
            requests.validate(request);
        } catch (AuthorizeError e) {
            // RFC 9126 §2.3: the authorization endpoint's errors, in the token endpoint's shape (RFC 6749 §5.2).
            throw new OAuthError(e.status() == 413 ? 413 : 400, e.error(), e.getMessage(), Map.of());
        }
        // Read before the store: a request stored for an answer that then failed would only wait out its TTL.
        String nonce = proofs.offeredNonce(key).await().indefinitely();
        String requestUri = pushed.push(new PushedRequests.Pushed(client.id(), request.asMap(), signed));
        var answer = RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED,
                        new PushedResponse(requestUri, pushed.ttl().toSeconds()))
                // RFC 9126 §2.2 shows the answer uncached: the request_uri is good for one use only.
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (nonce != null) {
            // RFC 9449 §8.2: the nonce for the client's next proof, at the token endpoint.
            answer.header(TokenRequestProofs.NONCE_HEADER, nonce);
        }
        return answer.build();
    }
}
