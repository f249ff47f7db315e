package io.authsuite.auth.par;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.path;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.token.TokenRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pushed authorization requests (RFC 9126): pushed and checked first, then used once by reference. */
@QuarkusTest
class PushedAuthorizationRequestsTest {

    private static RequestSpecification form() {
        return given().contentType("application/x-www-form-urlencoded");
    }

    private static Response push(RequestSpecification spec, Map<String, String> params) {
        return spec.formParams(params).post("/oauth2/par");
    }

    private static String pushed(Map<String, String> params) {
        return push(form(), params).then().statusCode(201).extract().path("request_uri");
    }

    private static Map<String, String> byReference(String clientId, String requestUri) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("request_uri", requestUri);
        return params;
    }

    private static void assertErrorPage(Response r, String text) {
        assertEquals(400, r.statusCode(), r.asString());
        assertNull(r.getHeader("Location"));
        org.hamcrest.MatcherAssert.assertThat(r.asString(), containsString(text));
    }

    @Test
    void pushThenAuthorizeByReferenceThenCodeWithPushedStateAndToken() {
        Pkce pkce = Pkce.create();
        Response answer = push(form(), authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read",
                pkce, "pushed-state", "n-par"));
        answer.then().statusCode(201).header("Cache-Control", "no-store")
                .body("request_uri", startsWith(PushedRequests.URN_PREFIX)).body("expires_in", equalTo(60));

        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(byReference(TestClients.SPA, answer.path("request_uri")),
                TestClients.USER, TestClients.password(TestClients.USER));
        assertEquals("pushed-state", signedIn.redirectParams().get("state"));
        String idToken = OAuthFlow.exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).body("access_token", org.hamcrest.Matchers.notNullValue())
                .extract().path("id_token");
        org.hamcrest.MatcherAssert.assertThat(OAuthFlow.claims(idToken), containsString("\"nonce\":\"n-par\""));
    }

    @Test
    void authorizeWhenParametersSentBesideRequestUriThenOnlyPushedOnesCount() {
        String requestUri = pushed(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "pushed", null));
        Map<String, String> params = byReference(TestClients.SPA, requestUri);
        params.put("state", "from-the-browser");
        params.put("redirect_uri", "https://attacker.example/cb");
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(params, TestClients.USER, TestClients.password(TestClients.USER));
        assertEquals("pushed", signedIn.redirectParams().get("state"));
    }

    @Test
    void authorizeWhenRequestUriUsedTwiceThenErrorPage() {
        String requestUri = pushed(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "s", null));
        assertEquals(303, authorize(byReference(TestClients.SPA, requestUri), null).statusCode());
        assertErrorPage(authorize(byReference(TestClients.SPA, requestUri), null), "request_uri");
    }

    @Test
    void authorizeWhenRequestUriOfAnotherClientOrUnknownThenErrorPageAndStillUsableByItsClient() {
        String requestUri = pushed(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "s", null));
        assertErrorPage(authorize(byReference(TestClients.PUBLIC, requestUri), null), "request_uri");
        assertErrorPage(authorize(byReference(TestClients.SPA, PushedRequests.URN_PREFIX + "x".repeat(43)), null),
                "request_uri");
        assertErrorPage(authorize(byReference(TestClients.SPA, PushedRequests.URN_PREFIX + "short"), null),
                "request_uri");
        Map<String, String> withoutClient = byReference(TestClients.SPA, requestUri);
        withoutClient.remove("client_id");
        assertErrorPage(authorize(withoutClient, null), "client_id");
        // A wrong client does not use it up: the client that pushed it still can.
        assertEquals("/login", path(authorize(byReference(TestClients.SPA, requestUri), null).getHeader("Location"))
                .split("\\?")[0]);
    }

    @Test
    void pushWhenConfidentialClientAuthenticatesThenAcceptedAndWrongSecretThenInvalidClient() {
        Map<String, String> params = authorizeParams(TestClients.THIRD, TestClients.THIRD_REDIRECT, "openid",
                Pkce.create(), "s", null);
        params.remove("client_id");
        String requestUri = push(form().header("Authorization", TokenRequests.basic(TestClients.THIRD,
                TestClients.secret(TestClients.THIRD))), params).then().statusCode(201).extract().path("request_uri");
        assertEquals(303, authorize(byReference(TestClients.THIRD, requestUri), null).statusCode());

        push(form().header("Authorization", TokenRequests.basic(TestClients.THIRD, "wrong-secret")), params).then()
                .statusCode(401).body("error", equalTo("invalid_client"));
        // Without any credentials a confidential client is not authenticated.
        params.put("client_id", TestClients.THIRD);
        push(form(), params).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void pushWhenRequestInvalidThenTokenEndpointStyleErrorAndNothingStored() {
        // Other classes' pushed requests may expire meanwhile: no key may appear, whatever disappears.
        java.util.Set<String> stored = io.authsuite.testing.RedisTestResource.server().keys("auth:par:*");
        Map<String, String> badRedirect = authorizeParams(TestClients.SPA, "https://attacker.example/cb", "openid",
                Pkce.create(), "s", null);
        push(form(), badRedirect).then().statusCode(400).header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_request"))
                .body("error_description", containsString("redirect_uri"));

        Map<String, String> noPkce = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "s", null);
        noPkce.remove("code_challenge");
        push(form(), noPkce).then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("code_challenge"));

        Map<String, String> badScope = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "inventory:write",
                Pkce.create(), "s", null);
        push(form(), badScope).then().statusCode(400).body("error", equalTo("invalid_scope"));

        Map<String, String> implicit = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "s", null);
        implicit.put("response_type", "token");
        push(form(), implicit).then().statusCode(400).body("error", equalTo("unsupported_response_type"));

        // RFC 9126 §2.1: a pushed request that carries request_uri is refused.
        Map<String, String> nested = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "s", null);
        nested.put("request_uri", PushedRequests.URN_PREFIX + "a".repeat(43));
        push(form(), nested).then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("request_uri"));

        // A client without the code flow has no redirect URI to push.
        push(form().header("Authorization", TokenRequests.basic(TestClients.SERVICE,
                TestClients.secret(TestClients.SERVICE))), Map.of("response_type", "code", "redirect_uri",
                TestClients.SPA_REDIRECT, "code_challenge", Pkce.create().challenge(), "code_challenge_method", "S256"))
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("redirect_uri"));
        java.util.Set<String> after = new java.util.HashSet<>(io.authsuite.testing.RedisTestResource.server()
                .keys("auth:par:*"));
        after.removeAll(stored);
        assertEquals(java.util.Set.of(), after, "a refused push stored a request");
    }

    @Test
    void pushWhenMalformedThenInvalidRequestNever500() {
        given().contentType("application/json").body("{}").post("/oauth2/par").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").body("client_id=a&client_id=b").post("/oauth2/par")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").body("client_id=%zz").post("/oauth2/par")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().get("/oauth2/par").then().statusCode(405);
        // The client_id in the body must name the client the credentials authenticate.
        push(form().header("Authorization", TokenRequests.basic(TestClients.THIRD, TestClients.secret(TestClients.THIRD))),
                authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), "s", null))
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("client_id"));
    }

    @Test
    void clientRegisteredToRequirePushedRequestsThenBrowserRequestRefusedAndPushedOneServed() {
        String iat = io.authsuite.auth.registration.DynamicRegistrationTest.mintInitialAccessToken(1);
        Response registered = io.authsuite.auth.registration.DynamicRegistrationTest.register(iat, Map.of(
                "grant_types", java.util.List.of("authorization_code"), "token_endpoint_auth_method", "none",
                "redirect_uris", java.util.List.of("https://par.example/cb"), "scope", "openid orders:read",
                "require_pushed_authorization_requests", true));
        registered.then().statusCode(201).body("require_pushed_authorization_requests", equalTo(true));
        String client = registered.path("client_id");
        Map<String, String> params = authorizeParams(client, "https://par.example/cb", "openid", Pkce.create(), "st",
                null);

        // RFC 9126 §6: sent through the browser, the request is refused at the (checked) redirect URI.
        Response direct = authorize(params, null);
        assertEquals(303, direct.statusCode(), direct.asString());
        Map<String, String> error = OAuthFlow.query(direct.getHeader("Location"));
        assertEquals("invalid_request", error.get("error"));
        assertEquals("st", error.get("state"));

        String requestUri = pushed(params);
        assertEquals("/login", path(authorize(byReference(client, requestUri), null).getHeader("Location"))
                .split("\\?")[0]);
        // Other clients are not affected.
        assertEquals("/login", path(authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), "s", null), null).getHeader("Location")).split("\\?")[0]);
    }

    @Test
    void discoveryListsTheEndpoint() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("pushed_authorization_request_endpoint", org.hamcrest.Matchers.endsWith("/oauth2/par"))
                .body("require_pushed_authorization_requests", equalTo(false));
        assertNotNull(given().get("/.well-known/openid-configuration").path("pushed_authorization_request_endpoint"));
    }
}
