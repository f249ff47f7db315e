package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8707 across the real services: one sign-in with scopes of both resource servers, then per-resource access
 * tokens from the refresh token, each accepted only by the service it names.
 */
class AudienceRestrictionIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
    }

    private static JsonPath refresh(String refreshToken, String resource) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", "web-app")
                .formParam("refresh_token", refreshToken).formParam("resource", resource)
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200).extract().jsonPath();
    }

    private static int ordersStatus(String token) {
        return given().auth().oauth2(token).get(suite.orders.url() + "/orders").statusCode();
    }

    private static int inventoryStatus(String token) {
        return given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items").statusCode();
    }

    @Test
    void refreshWithResourceThenTokenAcceptedOnlyByThatService() throws Exception {
        JsonPath signedIn = suite.signIn("alice", "alice-password", "openid orders:read orders:write inventory:read");
        String broad = signedIn.getString("access_token");
        assertEquals(200, ordersStatus(broad));
        assertEquals(200, inventoryStatus(broad));

        JsonPath forOrders = refresh(signedIn.getString("refresh_token"), suite.orders.url());
        assertEquals("orders:read orders:write", forOrders.getString("scope"));
        assertEquals(200, ordersStatus(forOrders.getString("access_token")));
        given().auth().oauth2(forOrders.getString("access_token")).get(suite.inventory.url() + "/inventory/items")
                .then().statusCode(401).body("error", equalTo("invalid_token")).body("code", equalTo("TOKEN_INVALID"));

        JsonPath forInventory = refresh(forOrders.getString("refresh_token"), suite.inventory.url());
        assertEquals("inventory:read", forInventory.getString("scope"));
        assertEquals(200, inventoryStatus(forInventory.getString("access_token")));
        assertEquals(401, ordersStatus(forInventory.getString("access_token")));
    }
}
