package io.authsuite.auth.requestobject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.ClientSignedJwts;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.token.FormParameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Authorization requests sent as a signed JWT, the request object of JWT-Secured Authorization Requests (RFC 9101):
 * its claims are the request's parameters, signed with a key the client registered, so that nothing on the way
 * through the browser can change them and the server knows the client made them. Accepted at the authorization
 * endpoint ({@code request}) and pushed to the PAR endpoint (RFC 9126 §3).
 *
 * <p>Only clients that registered public keys (the {@code private_key_jwt} clients) can send one. Checked: an
 * asymmetric algorithm; the signature, by one of the client's keys; {@code iss} the client and {@code aud} this
 * server, so that an object made for another server is refused; {@code exp} present and at most
 * {@link #MAX_LIFETIME} ahead; {@code typ}, when present, that of a request object; no {@code request} or
 * {@code request_uri} inside; a {@code client_id} claim, the client's.
 */
@ApplicationScoped
public class RequestObjects {

    /** Advertised in discovery as request_object_signing_alg_values_supported. */
    public static final List<String> ALGORITHMS = ClientSignedJwts.ALGORITHMS;
    /** FAPI 2.0 Message Signing §5.3.1: a request object lives at most 60 minutes. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(60);
    /** The claims that describe the object itself rather than the request. */
    private static final Set<String> ENVELOPE = Set.of("iss", "aud", "exp", "nbf", "iat", "jti", "sub");
    /** More parameters than any authorization request here has: the rest of a larger object is not read. */
    private static final int MAX_CLAIMS = 64;

    /** The request object cannot be used: RFC 9101 §6.3, {@code invalid_request_object}. */
    public static final class InvalidRequestObject extends RuntimeException {
        InvalidRequestObject(String message) {
            super(message, null, false, false);
        }
    }

    private final ClientRegistry clients;
    private final ObjectMapper json;
    private final String issuer;

    public RequestObjects(ClientRegistry clients, ObjectMapper json, AuthConfig config) {
        this.clients = clients;
        this.json = json;
        this.issuer = config.issuer();
    }

    /**
     * The parameters of the request that {@code requestObject} carries, {@code client_id} among them. RFC 9101 §6.3:
     * only these count; the parameters sent beside the object are not read.
     */
    public FormParameters parameters(String requestObject, String clientId) {
        RegisteredClient client = clients.find(clientId)
                .orElseThrow(() -> new InvalidRequestObject("unknown client"));
        if (client.jwks().isEmpty()) {
            throw new InvalidRequestObject("the client has registered no keys to sign request objects with");
        }
        JwtContext verified;
        try {
            verified = ClientSignedJwts.signedBy(client, MAX_LIFETIME)
                    // RFC 9101 §4: iss is the client, aud this server; an object made for another server is refused.
                    .setExpectedIssuer(clientId).setExpectedAudience(issuer)
                    .build().process(requestObject);
        } catch (InvalidJwtException e) {
            throw new InvalidRequestObject("the request object is invalid: "
                    + ClientSignedJwts.reason(e, MAX_LIFETIME, "iss must be the client_id"));
        }
        String type = ClientSignedJwts.type(verified);
        if (!type.isEmpty() && !type.equals("jwt") && !ClientSignedJwts.isRequestObjectType(type)) {
            // RFC 9101 §10.8 and RFC 8725 §3.11: a JWT typed as something else (a DPoP proof, an access token) is
            // not a request object, even with the right signature.
            throw new InvalidRequestObject("the request object is invalid: typ is not oauth-authz-req+jwt");
        }
        Map<String, Object> all = verified.getJwtClaims().getClaimsMap();
        if (all.size() > MAX_CLAIMS) {
            throw new InvalidRequestObject("the request object has too many claims");
        }
        if (all.containsKey("request") || all.containsKey("request_uri")) {
            // RFC 9101 §4: a request object MUST NOT contain request or request_uri.
            throw new InvalidRequestObject("a request object cannot hold request or request_uri");
        }
        Object named = all.get("client_id");
        if (!clientId.equals(named)) {
            // RFC 9101 §4: the object holds every parameter, client_id among them; §5: it MUST match the one sent.
            throw new InvalidRequestObject(named == null ? "the request object has no client_id"
                    : "client_id in the request object does not match the request's");
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, Object> claim : all.entrySet()) {
            if (ENVELOPE.contains(claim.getKey()) || claim.getValue() == null) {
                continue;
            }
            if (claim.getKey().equals("resource") && claim.getValue() instanceof List<?> resources) {
                // RFC 8707 §2: resource may be given more than once; a request object holds the values as an array.
                if (resources.size() > FormParameters.MAX_REPEATS) {
                    throw new InvalidRequestObject("the request object names more than " + FormParameters.MAX_REPEATS
                            + " resources");
                }
                parameters.put("resource", resources.stream().map(this::text).toList());
            } else {
                parameters.put(claim.getKey(), List.of(text(claim.getValue())));
            }
        }
        parameters.put("client_id", List.of(clientId));
        return FormParameters.of(parameters);
    }

    /** A claim as the parameter's text: strings as they are, numbers and booleans written out, the rest as JSON. */
    private String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestObject("a claim of the request object cannot be read");
        }
    }
}
