package io.authsuite.auth.web;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserInfoResourceTest {

    static String accessToken(String scope) {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce, null, null),
                TestClients.USER, TestClients.password(TestClients.USER));
        return exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
    }

    @Test
    void userInfoWithOpenidTokenThenClaimsOfItsScopes() {
        String token = accessToken("openid email orders:read");
        given().auth().oauth2(token).get("/oauth2/userinfo").then().statusCode(200)
                .body("sub", org.hamcrest.Matchers.notNullValue())
                .body("email", equalTo(TestClients.USER + "@example.test"))
                .body("name", nullValue());
        given().auth().oauth2(token).post("/oauth2/userinfo").then().statusCode(200);
    }

    @Test
    void userInfoWithoutTokenThenBearerAndDpopChallenges() {
        var response = given().get("/oauth2/userinfo");
        response.then().statusCode(401);
        // RFC 6750 §3.1: no error code without credentials; RFC 9449 §7.1: DPoP offered beside Bearer.
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("Bearer realm=\"auth-service\"",
                "DPoP algs=\"ES256 PS256 RS256\""), response.getHeaders().getValues("WWW-Authenticate"));
    }

    @Test
    void userInfoWithInvalidTokenThenInvalidToken() {
        given().auth().oauth2("eyJhbGciOiJub25lIn0.e30.").get("/oauth2/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void userInfoWithTokenWithoutOpenidThenInsufficientScope() {
        given().auth().oauth2(accessToken("orders:read")).get("/oauth2/userinfo").then().statusCode(403)
                .header("WWW-Authenticate", containsString("insufficient_scope"));
    }

    @Test
    void userInfoWithClientCredentialsTokenThenRefused() {
        String token = io.authsuite.auth.token.TokenRequestsAccess.serviceToken();
        given().auth().oauth2(token).get("/oauth2/userinfo").then().statusCode(403);
    }
}
