package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * RFC 8707 resource indicators on the grants of people: a client holding a broad grant asks for an access token
 * meant for one resource server only, while its refresh token keeps the whole grant.
 */
@QuarkusTest
class ResourceIndicatorsTest {

    private static final String ORDERS = "http://127.0.0.1:8081";
    private static final String INVENTORY = "http://127.0.0.1:8082";
    private static final String BROAD = "openid orders:read orders:write inventory:read";

    private record SignedIn(String code, Pkce pkce) {
    }

    private static SignedIn signedIn(String scope) {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn in = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce, null, null),
                TestClients.USER, TestClients.password(TestClients.USER));
        return new SignedIn(in.code(), pkce);
    }

    /** GET /oauth2/authorize with {@code resource} once per value, as RFC 8707 §2 sends several. */
    private static Response authorizeFor(String scope, Pkce pkce, String... resources) {
        var spec = given().redirects().follow(false)
                .queryParams(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce, "st", null));
        for (String resource : resources) {
            spec.queryParam("resource", resource);
        }
        return spec.get("/oauth2/authorize");
    }

    /** The error the authorization endpoint sent to the client's redirect URI (RFC 6749 §4.1.2.1). */
    private static java.util.Map<String, String> redirectedError(Response authorize) {
        assertEquals(303, authorize.statusCode(), authorize.asString());
        String location = authorize.getHeader("Location");
        org.junit.jupiter.api.Assertions.assertTrue(location.startsWith(TestClients.SPA_REDIRECT + "?"), location);
        java.util.Map<String, String> error = OAuthFlow.query(location);
        assertEquals("st", error.get("state"));
        return error;
    }

    /** Signs in through the authorization endpoint with {@code resources}, and redeems the code without any. */
    private static Response signedInFor(String scope, String... resources) {
        Pkce pkce = Pkce.create();
        Response authorize = authorizeFor(scope, pkce, resources);
        assertEquals(303, authorize.statusCode(), authorize.asString());
        Response login = OAuthFlow.submitLogin(OAuthFlow.path(authorize.getHeader("Location")), TestClients.USER,
                TestClients.password(TestClients.USER));
        assertEquals(303, login.statusCode(), login.asString());
        return exchange(new SignedIn(OAuthFlow.query(login.getHeader("Location")).get("code"), pkce));
    }

    private static Response exchange(SignedIn in, String... resources) {
        var spec = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("client_id", TestClients.SPA)
                .formParam("code", in.code()).formParam("redirect_uri", TestClients.SPA_REDIRECT)
                .formParam("code_verifier", in.pkce().verifier());
        for (String resource : resources) {
            spec.formParam("resource", resource);
        }
        return spec.post("/oauth2/token");
    }

    private static Response refresh(String refreshToken, String scope, String... resources) {
        var spec = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .formParam("refresh_token", refreshToken);
        if (scope != null) {
            spec.formParam("scope", scope);
        }
        for (String resource : resources) {
            spec.formParam("resource", resource);
        }
        return spec.post("/oauth2/token");
    }

    private static List<String> audience(String accessToken) throws Exception {
        JwtClaims claims = ClientCredentialsGrantTest.verify(accessToken);
        return claims.getAudience().stream().sorted().toList();
    }

    @Test
    void codeExchangeWithPublicAddressOfResourceThenTokenForItAlone() throws Exception {
        // A resource server may be named by more than one URI: its public address behind the Ingress, and its own.
        var body = exchange(signedIn(BROAD), "https://api.test/orders").then().statusCode(200)
                .body("scope", equalTo("orders:read orders:write")).extract();
        assertEquals(List.of("orders-service"), audience(body.path("access_token")));
        exchange(signedIn(BROAD), "https://api.test/orders/").then().statusCode(400)
                .body("error", equalTo("invalid_target"));
    }

    @Test
    void codeExchangeWithResourceThenAccessTokenForItAloneAndIdTokenStill() throws Exception {
        var body = exchange(signedIn(BROAD), INVENTORY).then().statusCode(200)
                .body("scope", equalTo("inventory:read"))
                .body("id_token", notNullValue())
                .extract();
        assertEquals(List.of("inventory-service"), audience(body.path("access_token")));
        // The grant itself is whole: a refresh without resource gets every scope back.
        refresh(body.path("refresh_token"), null).then().statusCode(200).body("scope", equalTo("inventory:read openid orders:read orders:write"));
    }

    @Test
    void codeExchangeWithResourceThenIdTokenStillCarriesTheClaimsOfTheWholeGrant() {
        String idToken = exchange(signedIn("openid profile orders:read inventory:read"), INVENTORY).then()
                .statusCode(200).body("scope", equalTo("inventory:read")).extract().path("id_token");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(idToken.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(payload.contains("\"name\""), payload);
    }

    @Test
    void refreshWhenScopeHasNoResourceServerThenInvalidScopeAndTokenNotConsumed() {
        String refreshToken = exchange(signedIn("openid profile orders:read")).then().statusCode(200)
                .extract().path("refresh_token");
        // "profile" alone names no audience (RFC 9068 §2.2): refused before the rotation.
        refresh(refreshToken, "profile").then().statusCode(400).body("error", equalTo("invalid_scope"));
        refresh(refreshToken, null).then().statusCode(200);
    }

    @Test
    void refreshWithResourceThenAccessTokenPerResourceServer() throws Exception {
        String refreshToken = exchange(signedIn(BROAD)).then().statusCode(200).extract().path("refresh_token");
        var orders = refresh(refreshToken, null, ORDERS).then().statusCode(200)
                .body("scope", equalTo("orders:read orders:write")).extract();
        assertEquals(List.of("orders-service"), audience(orders.path("access_token")));
        var inventory = refresh(orders.path("refresh_token"), null, INVENTORY).then().statusCode(200)
                .body("scope", equalTo("inventory:read")).extract();
        assertEquals(List.of("inventory-service"), audience(inventory.path("access_token")));
        var both = refresh(inventory.path("refresh_token"), "orders:read inventory:read", ORDERS, INVENTORY)
                .then().statusCode(200).body("scope", equalTo("inventory:read orders:read")).extract();
        assertEquals(List.of("inventory-service", "orders-service"), audience(both.path("access_token")));
    }

    @Test
    void refreshWithResourceOutsideTheGrantThenInvalidTargetAndTokenStillUsable() {
        String refreshToken = exchange(signedIn("openid orders:read")).then().statusCode(200)
                .extract().path("refresh_token");
        refresh(refreshToken, null, INVENTORY).then().statusCode(400)
                .body("error", equalTo("invalid_target"));
        refresh(refreshToken, null, "https://elsewhere.example/api").then().statusCode(400)
                .body("error", equalTo("invalid_target"));
        refresh(refreshToken, null, "not a uri").then().statusCode(400).body("error", equalTo("invalid_target"));
        // A narrowed scope that leaves nothing for the named resource is refused the same way.
        String full = exchange(signedIn(BROAD)).then().statusCode(200).extract().path("refresh_token");
        refresh(full, "orders:read", INVENTORY).then().statusCode(400).body("error", equalTo("invalid_target"));
        // Nothing was consumed by the refused requests.
        refresh(refreshToken, null).then().statusCode(200).body("scope", equalTo("openid orders:read"));
        refresh(full, null).then().statusCode(200);
    }

    @Test
    void codeExchangeWithResourceOutsideTheGrantThenInvalidTargetAndCodeNotSpent() {
        SignedIn in = signedIn("openid orders:read");
        exchange(in, INVENTORY).then().statusCode(400)
                .body("error", equalTo("invalid_target"))
                .body("error_description", containsString("inventory-service"))
                .body("access_token", nullValue());
        exchange(in, ORDERS).then().statusCode(200).body("scope", equalTo("orders:read"));
    }

    @Test
    void codeExchangeWithResourceOutsideTheGrantAndWrongVerifierThenCodeSpentAsWithoutResource() {
        // Only a request that could redeem the code learns invalid_target while keeping it: with a wrong verifier the
        // code is spent as it would be without a resource (RFC 7636 §4.6), so resources cannot be used to probe it.
        SignedIn in = signedIn("openid orders:read");
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("client_id", TestClients.SPA).formParam("code", in.code())
                .formParam("redirect_uri", TestClients.SPA_REDIRECT)
                .formParam("code_verifier", Pkce.create().verifier()).formParam("resource", INVENTORY)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        exchange(in).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeExchangeWithResourceOutsideTheGrantByAnotherClientOrRedirectUriThenCodeSpentAsWithoutResource() {
        // The other checks a redemption must pass before it may learn invalid_target (RFC 6749 §4.1.3).
        for (List<String> wrong : List.of(List.of(TestClients.PUBLIC, TestClients.SPA_REDIRECT),
                List.of(TestClients.SPA, TestClients.SPA_REDIRECT + "/elsewhere"))) {
            SignedIn in = signedIn("openid orders:read");
            given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                    .formParam("client_id", wrong.get(0)).formParam("code", in.code())
                    .formParam("redirect_uri", wrong.get(1)).formParam("code_verifier", in.pkce().verifier())
                    .formParam("resource", INVENTORY)
                    .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
            exchange(in).then().statusCode(400).body("error", equalTo("invalid_grant"));
        }
    }

    @Test
    void codeExchangeWithUnknownResourceThenInvalidTargetAndCodeNotSpent() {
        SignedIn in = signedIn(BROAD);
        exchange(in, "https://elsewhere.example/api").then().statusCode(400)
                .body("error", equalTo("invalid_target"))
                .body("error_description", notNullValue());
        exchange(in).then().statusCode(200);
    }

    @Test
    void authorizeWithResourceThenWholeGrantForItAloneAndIdTokenStill() throws Exception {
        var body = signedInFor("openid profile orders:read orders:write", "https://api.test/orders").then()
                .statusCode(200).body("scope", equalTo("openid orders:read orders:write profile"))
                .body("id_token", notNullValue()).extract();
        // With openid the access token also serves this server's userinfo; no other resource server accepts it.
        assertEquals(List.of("https://auth.test", "orders-service"), audience(body.path("access_token")));
        // RFC 8707 §2.1: the resource applies to the grant, so a refresh cannot reach beyond it.
        String refreshToken = body.path("refresh_token");
        refresh(refreshToken, null, INVENTORY).then().statusCode(400).body("error", equalTo("invalid_target"));
        refresh(refreshToken, null).then().statusCode(200)
                .body("scope", equalTo("openid orders:read orders:write profile"));
    }

    @Test
    void authorizeWithSeveralResourcesThenTokenRequestNarrowsToOne() throws Exception {
        Pkce pkce = Pkce.create();
        Response authorize = authorizeFor(BROAD, pkce, ORDERS, INVENTORY);
        Response login = OAuthFlow.submitLogin(OAuthFlow.path(authorize.getHeader("Location")), TestClients.USER,
                TestClients.password(TestClients.USER));
        SignedIn in = new SignedIn(OAuthFlow.query(login.getHeader("Location")).get("code"), pkce);
        var body = exchange(in, INVENTORY).then().statusCode(200).body("scope", equalTo("inventory:read")).extract();
        assertEquals(List.of("inventory-service"), audience(body.path("access_token")));
    }

    @Test
    void authorizeWithoutScopeAndWithResourceThenDefaultsOfItAlone() {
        signedInFor(null, ORDERS).then().statusCode(200).body("scope", equalTo("openid orders:read"));
        // The client's defaults (openid orders:read) hold nothing for the inventory: the grant could not be used there.
        java.util.Map<String, String> error = redirectedError(authorizeFor(null, Pkce.create(), INVENTORY));
        assertEquals("invalid_target", error.get("error"));
        org.hamcrest.MatcherAssert.assertThat(error.get("error_description"), containsString("inventory-service"));
    }

    @Test
    void authorizeWithResourceOutsideClientsAudiencesThenInvalidTargetToTheClient() {
        // RFC 8707 §2: the client may not obtain tokens for orders-service, whatever scopes it may hold.
        java.util.Map<String, String> error = redirectedError(given().redirects().follow(false)
                .queryParams(authorizeParams(TestClients.FENCED_WEB, TestClients.SPA_REDIRECT, "openid orders:read",
                        Pkce.create(), "st", null))
                .queryParam("resource", ORDERS).get("/oauth2/authorize"));
        assertEquals("invalid_target", error.get("error"));
        org.hamcrest.MatcherAssert.assertThat(error.get("error_description"),
                containsString("may not obtain tokens for the resource orders-service"));
    }

    @Test
    void refreshWithResourceOutsideClientsAudiencesThenInvalidTargetAndTokenStillUsable() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn in = signIn(authorizeParams(TestClients.FENCED_WEB, TestClients.SPA_REDIRECT,
                "openid inventory:read", pkce, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        String refreshToken = OAuthFlow.exchange(TestClients.FENCED_WEB, in.code(), TestClients.SPA_REDIRECT,
                pkce.verifier()).then().statusCode(200).extract().path("refresh_token");
        var refresh = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.FENCED_WEB)
                .formParam("refresh_token", refreshToken);
        refresh.formParam("resource", ORDERS).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_target"));
        // Refused before the rotation: the refresh token still works.
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.FENCED_WEB)
                .formParam("refresh_token", refreshToken).post("/oauth2/token").then().statusCode(200)
                .body("access_token", notNullValue());
    }

    @Test
    void authorizeWithUnknownOrMalformedResourceThenInvalidTargetToTheClient() {
        for (String resource : new String[] {"https://elsewhere.example/api", "not a uri", ORDERS + "#fragment",
            "https://api.test/orders/"}) {
            java.util.Map<String, String> error = redirectedError(authorizeFor("openid orders:read", Pkce.create(),
                    ORDERS, resource));
            assertEquals("invalid_target", error.get("error"), resource);
            org.junit.jupiter.api.Assertions.assertNotNull(error.get("error_description"), resource);
        }
    }

    @Test
    void authorizeWithScopeOfAnotherResourceThanNamedThenInvalidScopeToTheClient() {
        java.util.Map<String, String> error = redirectedError(authorizeFor("openid orders:read inventory:read",
                Pkce.create(), ORDERS));
        assertEquals("invalid_scope", error.get("error"));
        org.hamcrest.MatcherAssert.assertThat(error.get("error_description"), containsString("inventory:read"));
    }

    @Test
    void pushWithUnknownResourceThenInvalidTargetInTokenEndpointShape() {
        given().contentType("application/x-www-form-urlencoded")
                .formParams(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read",
                        Pkce.create(), "st", null))
                .formParam("resource", ORDERS).formParam("resource", "https://elsewhere.example/api")
                .post("/oauth2/par").then().statusCode(400)
                .body("error", equalTo("invalid_target")).body("error_description", notNullValue());
        given().contentType("application/x-www-form-urlencoded")
                .formParams(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read",
                        Pkce.create(), "st", null))
                .formParam("resource", ORDERS)
                .post("/oauth2/par").then().statusCode(201);
    }
}
