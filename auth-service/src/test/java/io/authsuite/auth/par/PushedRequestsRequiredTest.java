package io.authsuite.auth.par;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.query;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server that accepts authorization requests only by reference to a pushed one (RFC 9126 §5). */
@QuarkusTest
@TestProfile(PushedRequestsRequiredTest.PushedOnly.class)
class PushedRequestsRequiredTest {

    public static class PushedOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.authorization-code.require-pushed-requests", "true");
        }
    }

    @Test
    void authorizeWhenRequestNotPushedThenInvalidRequestAtRedirectUri() {
        Response r = authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "st", null), null);
        assertEquals(303, r.statusCode(), r.asString());
        Map<String, String> redirect = query(r.getHeader("Location"));
        assertEquals("invalid_request", redirect.get("error"));
        assertEquals("st", redirect.get("state"));
        org.hamcrest.MatcherAssert.assertThat(redirect.get("error_description"), containsString("/oauth2/par"));
    }

    @Test
    void authorizeWhenRequestPushedThenSignInAsUsual() {
        Pkce pkce = Pkce.create();
        String requestUri = given().contentType("application/x-www-form-urlencoded")
                .formParams(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", pkce, "st", null))
                .post("/oauth2/par").then().statusCode(201).extract().path("request_uri");
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(Map.of("client_id", TestClients.SPA, "request_uri", requestUri),
                TestClients.USER, TestClients.password(TestClients.USER));
        OAuthFlow.exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier()).then()
                .statusCode(200);
    }

    @Test
    void discoverySaysPushedRequestsAreRequired() {
        given().get("/.well-known/oauth-authorization-server").then()
                .body("require_pushed_authorization_requests", equalTo(true));
    }
}
