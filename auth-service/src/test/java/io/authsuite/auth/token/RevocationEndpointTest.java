package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.refresh;
import static io.authsuite.auth.token.TokenRequests.asClient;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RevocationEndpointTest {

    private static String serviceToken() {
        return TokenRequestsAccess.serviceToken();
    }

    private static JsonPath introspect(String token) {
        return asClient(TestClients.RESOURCE_SERVER).formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void revokeAccessTokenThenInactiveEverywhereAtOnce() {
        String token = serviceToken();
        org.junit.jupiter.api.Assertions.assertTrue(introspect(token).getBoolean("active"));
        asClient(TestClients.SERVICE).formParam("token", token).formParam("token_type_hint", "access_token")
                .post("/oauth2/revoke").then().statusCode(200).header("Cache-Control", "no-store");
        org.junit.jupiter.api.Assertions.assertFalse(introspect(token).getBoolean("active"));
    }

    @Test
    void revokeRefreshTokenThenFamilyAndItsAccessTokensRevoked() {
        String refreshToken = RefreshTokenGrantTest.firstRefreshToken();
        JsonPath refreshed = refresh(TestClients.SPA, refreshToken, null).then().statusCode(200).extract().jsonPath();
        String access = refreshed.getString("access_token");
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.SPA)
                .formParam("token", refreshed.getString("refresh_token")).formParam("token_type_hint", "refresh_token")
                .post("/oauth2/revoke").then().statusCode(200);
        refresh(TestClients.SPA, refreshed.getString("refresh_token"), null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        given().auth().oauth2(access).get("/oauth2/userinfo").then().statusCode(401);
    }

    @Test
    void revokeWithWrongHintStillRevokes() {
        String token = serviceToken();
        asClient(TestClients.SERVICE).formParam("token", token).formParam("token_type_hint", "refresh_token")
                .post("/oauth2/revoke").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertFalse(introspect(token).getBoolean("active"));
    }

    @Test
    void revokeUnknownOrAlreadyRevokedTokenThen200() {
        asClient(TestClients.SERVICE).formParam("token", "not-a-token").post("/oauth2/revoke").then().statusCode(200);
        String token = serviceToken();
        asClient(TestClients.SERVICE).formParam("token", token).post("/oauth2/revoke").then().statusCode(200);
        asClient(TestClients.SERVICE).formParam("token", token).post("/oauth2/revoke").then().statusCode(200);
    }

    @Test
    void revokeTokenOfAnotherClientThenRefusedAndTokenStillActive() {
        String token = serviceToken();
        asClient(TestClients.RESOURCE_SERVER)
                .formParam("token", token).post("/oauth2/revoke")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
        org.junit.jupiter.api.Assertions.assertTrue(introspect(token).getBoolean("active"));
    }

    @Test
    void revokeWithoutClientAuthenticationOrTokenThenError() {
        given().contentType("application/x-www-form-urlencoded").formParam("token", "x").post("/oauth2/revoke")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        asClient(TestClients.SERVICE).formParam("token_type_hint", "access_token").post("/oauth2/revoke")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        asClient(TestClients.SERVICE).formParam("token", "a").formParam("token", "b").post("/oauth2/revoke")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }
}
