package io.authsuite.auth.token;

import static io.authsuite.auth.token.TokenRequests.asClient;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IntrospectionEndpointTest {

    private static ValidatableResponse introspect(String token) {
        return asClient(TestClients.RESOURCE_SERVER).formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(200).header("Cache-Control", "no-store");
    }

    @Test
    void introspectActiveAccessTokenThenStandardMembers() {
        introspect(TokenRequestsAccess.serviceToken())
                .body("active", equalTo(true))
                .body("client_id", equalTo(TestClients.SERVICE))
                .body("sub", equalTo(TestClients.SERVICE))
                .body("scope", equalTo("orders:read"))
                .body("aud", hasItem("orders-service"))
                .body("iss", equalTo("https://auth.test"))
                .body("token_type", equalTo("Bearer"))
                .body("exp", org.hamcrest.Matchers.notNullValue())
                .body("jti", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void introspectWhenTokenAlsoServesAnotherResourceThenCallerSeesOnlyItsOwnAudienceAndScopes() {
        String both = asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read inventory:read").post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
        introspect(both).body("active", equalTo(true))
                .body("scope", equalTo("orders:read"))
                .body("aud", equalTo(java.util.List.of("orders-service")));
    }

    @Test
    void introspectGarbageThenOnlyInactive() {
        for (String token : new String[] {"garbage", "a.b.c", "C".repeat(43), "eyJhbGciOiJub25lIn0.e30."}) {
            introspect(token).body("$", aMapWithSize(1)).body("active", equalTo(false));
        }
    }

    @Test
    void introspectTokenForAnotherAudienceThenInactive() {
        String inventoryOnly = asClient(TestClients.SERVICE)
                .formParam("grant_type", "client_credentials").formParam("scope", "inventory:read")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        introspect(inventoryOnly).body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    @Test
    void introspectWhenClientAudiencesOnlyLimitWhatItObtainsThenTokensForThoseAudiencesInactive() {
        // test-rs2 may obtain tokens for inventory-service only; that does not make it inventory-service.
        String inventoryToken = asClient(TestClients.SERVICE)
                .formParam("grant_type", "client_credentials").formParam("scope", "inventory:read")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        asClient(TestClients.RESTRICTED_RESOURCE_SERVER).formParam("token", inventoryToken).post("/oauth2/introspect")
                .then().statusCode(200).body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    @Test
    void introspectRefreshTokenOfAnotherClientThenOnlyInactive() {
        // The SPA's refresh token, introspected by a resource server: it must learn nothing of sub or scope.
        introspect(RefreshTokenGrantTest.firstRefreshToken()).body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    @Test
    void introspectByPublicClientNamingItselfThenInvalidClient() {
        // RFC 7662 §2.1: a client_id alone is no authorization; otherwise anyone could scan tokens under its name.
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.SPA)
                .formParam("token", "x").post("/oauth2/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void introspectByClientThatIsNoResourceServerThenRefused() {
        asClient(TestClients.SERVICE).formParam("token", "x").post("/oauth2/introspect")
                .then().statusCode(403).body("error", equalTo("unauthorized_client"));
        given().contentType("application/x-www-form-urlencoded").formParam("token", "x").post("/oauth2/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }
}
