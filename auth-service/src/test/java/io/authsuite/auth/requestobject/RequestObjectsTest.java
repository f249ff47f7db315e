package io.authsuite.auth.requestobject;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.TestKeys;
import io.authsuite.auth.clients.ClientAssertions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.hamcrest.MatcherAssert;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/**
 * Signed request objects (RFC 9101): their claims are the request, whatever is sent beside them, and one that is not
 * the client's, not for this server, or not a request object is refused with {@code invalid_request_object}.
 */
@QuarkusTest
class RequestObjectsTest {

    private static final String REDIRECT = RequestObjectClients.REDIRECT;
    private static final RsaJsonWebKey KEY = RequestObjectClients.KEY;
    private static final RsaJsonWebKey OTHER_KEY = TestKeys.rsa("rp-1");
    private static final RequestObjectClients CLIENTS = new RequestObjectClients();
    private static String client;
    private static String strictClient;

    /** A first-party web client that authenticates with private_key_jwt and so has registered KEY's public half. */
    private static synchronized String client() {
        if (client == null) {
            client = CLIENTS.register(Map.of());
        }
        return client;
    }

    /** The same, registered with require_signed_request_object (RFC 9101 §10.5). */
    private static synchronized String strictClient() {
        if (strictClient == null) {
            strictClient = CLIENTS.register(Map.of("require_signed_request_object", true));
        }
        return strictClient;
    }

    /** The server under test, as a client assertion's audience names it: its issuer, alone. */
    private static String server() {
        return CLIENTS.issuer();
    }

    private static JwtClaims request(Pkce pkce, String state) {
        return request(client(), pkce, state);
    }

    private static JwtClaims request(String clientId, Pkce pkce, String state) {
        return CLIENTS.request(clientId, pkce, state);
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key, String type) {
        return RequestObjectClients.sign(claims, key, type);
    }

    private static String signed(Consumer<JwtClaims> change) {
        JwtClaims claims = request(Pkce.create(), "s");
        change.accept(claims);
        return sign(claims, KEY, "oauth-authz-req+jwt");
    }

    /** client_id and request, as RFC 9101 §5 sends them, plus anything in {@code beside}. */
    private static Map<String, String> byValue(String requestObject, Map<String, String> beside) {
        Map<String, String> params = new LinkedHashMap<>(beside);
        params.put("client_id", client());
        params.put("request", requestObject);
        return params;
    }

    private static String assertion(String clientId, String audience) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(clientId);
        claims.setSubject(clientId);
        claims.setAudience(audience);
        claims.setExpirationTimeMinutesInTheFuture(2);
        claims.setJwtId(UUID.randomUUID().toString());
        return sign(claims, KEY, null);
    }

    private static RequestSpecification authenticated(String audience) {
        return authenticated(client(), audience);
    }

    private static RequestSpecification authenticated(String clientId, String audience) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("client_assertion_type", ClientAssertions.TYPE)
                .formParam("client_assertion", assertion(clientId, audience));
    }

    private static void assertRefusedOnPage(Response r, String because) {
        assertEquals(400, r.statusCode(), r.asString());
        assertNull(r.getHeader("Location"), "an unverified request object's redirect_uri is never used");
        MatcherAssert.assertThat(r.asString(), containsString(because));
    }

    /** RFC 9101 §6.3: the page names invalid_request_object, for the client's developer. */
    private static void assertInvalidObject(Response r, String because) {
        assertRefusedOnPage(r, because);
        MatcherAssert.assertThat(r.asString(), containsString("<code id=\"error-code\">invalid_request_object</code>"));
    }

    @Test
    void authorizeWhenSignedRequestObjectThenOnlyItsParametersCountAndCodeRedeemed() {
        Pkce pkce = Pkce.create();
        String object = sign(request(pkce, "from-the-object"), KEY, "oauth-authz-req+jwt");
        // RFC 9101 §6.3: what the browser adds beside the object is not read, redirect_uri included.
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(byValue(object, Map.of("state", "from-the-browser",
                "redirect_uri", "https://attacker.example/cb", "scope", "openid")), TestClients.USER,
                TestClients.password(TestClients.USER));
        assertEquals("from-the-object", signedIn.redirectParams().get("state"));

        String idToken = authenticated(server()).formParam("grant_type", "authorization_code")
                .formParam("code", signedIn.code()).formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", pkce.verifier()).post("/oauth2/token").then().statusCode(200)
                .body("scope", containsString("orders:read")).extract().path("id_token");
        MatcherAssert.assertThat(OAuthFlow.claims(idToken), containsString("\"nonce\":\"n-from-the-object\""));
    }

    @Test
    void authorizeWhenRequestObjectTypedJwtOrUntypedThenAccepted() {
        for (String type : new String[] {"JWT", null, "application/oauth-authz-req+jwt"}) {
            Response r = authorize(byValue(sign(request(Pkce.create(), "t"), KEY, type), Map.of()), null);
            assertEquals(303, r.statusCode(), type + ": " + r.asString());
            assertEquals("/login", OAuthFlow.path(r.getHeader("Location")).split("\\?")[0]);
        }
    }

    @Test
    void authorizeWhenRequestObjectNotTheClientsOrNotForThisServerThenInvalidRequestObject() {
        assertInvalidObject(authorize(byValue(sign(request(Pkce.create(), "s"), OTHER_KEY, null), Map.of()), null),
                "does not verify");
        String genuine = signed(c -> { });
        String[] parts = genuine.split("\\.");
        String changed = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                        .replace(REDIRECT, "https://attacker.example/cb").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[2];
        assertInvalidObject(authorize(byValue(changed, Map.of()), null), "does not verify");
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertInvalidObject(authorize(byValue(unsigned, Map.of()), null), "invalid");
        assertInvalidObject(authorize(byValue(signed(c -> c.setAudience("https://other-server.example")), Map.of()),
                null), "aud does not name this server");
        assertInvalidObject(authorize(byValue(signed(c -> c.setIssuer(TestClients.SPA)), Map.of()), null),
                "iss must be the client_id");
        assertInvalidObject(authorize(byValue(signed(c -> c.unsetClaim("exp")), Map.of()), null), "exp is missing");
        assertInvalidObject(authorize(byValue(signed(c -> c.setExpirationTimeMinutesInTheFuture(90)), Map.of()), null),
                "60 minutes");
        assertInvalidObject(authorize(byValue(signed(c -> c.setExpirationTimeMinutesInTheFuture(-5)), Map.of()), null),
                "expired");
        assertInvalidObject(authorize(byValue(sign(request(Pkce.create(), "s"), KEY, "dpop+jwt"), Map.of()), null),
                "typ");
        assertInvalidObject(authorize(byValue(signed(c -> c.setClaim("client_id", TestClients.SPA)), Map.of()), null),
                "client_id");
        assertInvalidObject(authorize(byValue(signed(c -> c.setClaim("request_uri", "https://rp.example.test/r")),
                Map.of()), null), "request_uri");
        assertInvalidObject(authorize(byValue("not-a-jwt", Map.of()), null), "invalid");
    }

    @Test
    void authorizeWhenRequestObjectHasOddTypesOrNoClientIdThenRefusedWithoutServerError() {
        JwtClaims claims = request(Pkce.create(), "s");
        String numericType;
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(KEY.getPrivateKey());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.getHeaders().setObjectHeaderValue("typ", 1);
            numericType = jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        assertInvalidObject(authorize(byValue(numericType, Map.of()), null), "typ");
        assertInvalidObject(authorize(byValue(signed(c -> c.unsetClaim("client_id")), Map.of()), null),
                "no client_id");
        assertInvalidObject(authorize(byValue(signed(c -> c.setClaim("client_id", 42)), Map.of()), null),
                "client_id");
        // Parameters of the wrong JSON type are not what was registered: refused, on the page or at the redirect.
        assertRefusedOnPage(authorize(byValue(signed(c -> c.setClaim("redirect_uri", List.of(REDIRECT))), Map.of()),
                null), "redirect_uri");
        Response scope = authorize(byValue(signed(c -> c.setClaim("scope", Map.of("openid", true))), Map.of()), null);
        assertEquals(303, scope.statusCode(), scope.asString());
        assertEquals("invalid_scope", OAuthFlow.query(scope.getHeader("Location")).get("error"));
    }

    @Test
    void authorizeWhenRequestObjectNamesResourcesThenEachCheckedAsSentOnTheQuery() {
        String orders = "http://127.0.0.1:8081";
        for (Object resource : List.of(orders, List.of(orders))) {
            Response r = authorize(byValue(signed(c -> c.setClaim("resource", resource)), Map.of()), null);
            assertEquals(303, r.statusCode(), r.asString());
            assertEquals("/login", OAuthFlow.path(r.getHeader("Location")).split("\\?")[0]);
        }
        // RFC 8707 §2: every value is checked, not the array's first or its JSON text.
        Response unknown = authorize(byValue(signed(c -> c.setClaim("resource",
                List.of(orders, "https://elsewhere.example/api"))), Map.of()), null);
        assertEquals(303, unknown.statusCode(), unknown.asString());
        assertEquals("invalid_target", OAuthFlow.query(unknown.getHeader("Location")).get("error"));
        List<String> many = java.util.Collections.nCopies(11, orders);
        assertInvalidObject(authorize(byValue(signed(c -> c.setClaim("resource", many)), Map.of()), null),
                "resources");
    }

    @Test
    void clientAssertionWhenRequestObjectPresentedThenInvalidClient() {
        // RFC 8725 §3.12: a request object has travelled through the browser; signed by the same key, it must not
        // authenticate the client, even when it carries sub and jti as an assertion does.
        JwtClaims claims = request(Pkce.create(), "s");
        claims.setSubject(client());
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setAudience(server());
        claims.setExpirationTimeMinutesInTheFuture(2);
        for (String type : new String[] {"oauth-authz-req+jwt", null}) {
            given().contentType("application/x-www-form-urlencoded")
                    .formParam("client_assertion_type", ClientAssertions.TYPE)
                    .formParam("client_assertion", sign(claims, KEY, type))
                    .formParams(OAuthFlow.authorizeParams(client(), REDIRECT, "openid", Pkce.create(), "s", null))
                    .post("/oauth2/par").then().statusCode(401).body("error", equalTo("invalid_client"))
                    .body("error_description", containsString("not a client assertion"));
        }
    }

    @Test
    void authorizeWhenRequestWithRequestUriOrWithoutClientIdOrClientHasNoKeysThenErrorPage() {
        assertRefusedOnPage(authorize(byValue(signed(c -> { }), Map.of("request_uri",
                "urn:ietf:params:oauth:request_uri:x")), null), "request and request_uri");
        Map<String, String> withoutClient = byValue(signed(c -> { }), Map.of());
        withoutClient.remove("client_id");
        assertRefusedOnPage(authorize(withoutClient, null), "client_id");
        Map<String, String> spa = byValue(signed(c -> { }), Map.of());
        spa.put("client_id", TestClients.SPA);
        assertRefusedOnPage(authorize(spa, null), "no keys");
    }

    @Test
    void pushWhenRequestObjectThenItsParametersStoredAndUsedByReference() {
        Pkce pkce = Pkce.create();
        String requestUri = authenticated(server())
                .formParam("request", sign(request(pkce, "pushed-object"), KEY, "oauth-authz-req+jwt"))
                .formParam("state", "beside").post("/oauth2/par").then().statusCode(201)
                .body("request_uri", notNullValue()).extract().path("request_uri");
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(Map.of("client_id", client(), "request_uri", requestUri),
                TestClients.USER, TestClients.password(TestClients.USER));
        assertEquals("pushed-object", signedIn.redirectParams().get("state"));
    }

    @Test
    void pushWhenRequestObjectInvalidThenInvalidRequestObjectInTokenEndpointShape() {
        authenticated(server()).formParam("request", sign(request(Pkce.create(), "s"), OTHER_KEY, null))
                .post("/oauth2/par").then().statusCode(400).contentType(containsString("application/json"))
                .body("error", equalTo("invalid_request_object"))
                .body("error_description", containsString("does not verify"));
        authenticated(server()).formParam("request", signed(c -> c.setClaim("client_id", "someone")))
                .post("/oauth2/par").then().statusCode(400).body("error", equalTo("invalid_request_object"));
        // A valid object whose request is not: the validation's own error, as for any pushed request.
        authenticated(server()).formParam("request", signed(c -> c.unsetClaim("code_challenge")))
                .post("/oauth2/par").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("code_challenge"));
    }

    @Test
    void authorizeWhenClientRequiresSignedRequestObjectsThenPlainRequestsRefusedAndSignedOnesAccepted() {
        String strict = strictClient();
        Response plain = authorize(OAuthFlow.authorizeParams(strict, REDIRECT, "openid", Pkce.create(), "st", null),
                null);
        assertEquals(303, plain.statusCode(), plain.asString());
        Map<String, String> refused = OAuthFlow.query(plain.getHeader("Location"));
        assertEquals("invalid_request", refused.get("error"));
        MatcherAssert.assertThat(refused.get("error_description"), containsString("RFC 9101"));
        Map<String, String> plainPush = OAuthFlow.authorizeParams(strict, REDIRECT, "openid", Pkce.create(), "st", null);
        plainPush.remove("client_id");
        authenticated(strict, server()).formParams(plainPush).post("/oauth2/par").then().statusCode(400)
                .body("error", equalTo("invalid_request")).body("error_description", containsString("RFC 9101"));

        Map<String, String> byValue = new LinkedHashMap<>();
        byValue.put("client_id", strict);
        byValue.put("request", sign(request(strict, Pkce.create(), "v"), KEY, "oauth-authz-req+jwt"));
        assertEquals("/login", OAuthFlow.path(authorize(byValue, null).getHeader("Location")).split("\\?")[0]);
        String requestUri = authenticated(strict, server())
                .formParam("request", sign(request(strict, Pkce.create(), "p"), KEY, "oauth-authz-req+jwt"))
                .post("/oauth2/par").then().statusCode(201).extract().path("request_uri");
        assertEquals("/login", OAuthFlow.path(authorize(Map.of("client_id", strict, "request_uri", requestUri), null)
                .getHeader("Location")).split("\\?")[0]);
    }

    @Test
    void registerWhenSignedRequestObjectsRequiredWithoutKeysThenInvalidClientMetadata() {
        CLIENTS.create("jar-" + UUID.randomUUID().toString().substring(0, 8), Map.of("client_type", "public",
                "grant_types", List.of("authorization_code"), "scopes", List.of("openid"),
                "redirect_uris", List.of(REDIRECT), "require_signed_request_object", true)).then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"))
                .body("error_description", containsString("require_signed_request_object"));
    }

    @Test
    void discoveryAdvertisesSignedRequestObjects() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("request_parameter_supported", equalTo(true))
                .body("request_object_signing_alg_values_supported", hasItem("RS256"))
                .body("request_uri_parameter_supported", equalTo(false))
                .body("require_signed_request_object", equalTo(false));
    }
}
