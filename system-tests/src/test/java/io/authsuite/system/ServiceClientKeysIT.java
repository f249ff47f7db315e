package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * orders-service and inventory-service hold a private key and no client secret: they get their service tokens with
 * private_key_jwt (RFC 7523 §2.2) through quarkus-oidc-client, and auth-service holds only their public keys.
 */
class ServiceClientKeysIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
    }

    @Test
    void servicesWithKeysOnlyThenServiceTokensIssuedAndCallsAcrossServicesWork() throws Exception {
        for (String service : new String[] {"orders-service", "inventory-service"}) {
            var env = suite.environmentOf(service);
            assertTrue(env.containsKey("SERVICE_CLIENT_KEY_FILE"), service + " has its key");
            assertFalse(env.keySet().stream().anyMatch(name -> name.endsWith("_SERVICE_SECRET")),
                    service + " holds no client secret");
        }
        String auth = suite.environmentOf("auth-service").get("INVENTORY_SERVICE_AUTH_METHODS");
        assertEquals("private_key_jwt", auth, "inventory-service may only authenticate with its key");

        // orders -> inventory with orders-service's token: a placed order.
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("KEYS", 5);
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":2}]}")
                .post(suite.orders.url() + "/orders").then().statusCode(201);
        assertTrue(suite.tokensIssuedTo("orders-service") >= 1);

        // inventory -> orders with inventory-service's token: discontinuing the item cancels the open order.
        String admin = suite.accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        given().auth().oauth2(admin).post(suite.inventory.url() + "/inventory/items/" + sku + "/discontinue")
                .then().statusCode(200);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (suite.tokensIssuedTo("inventory-service") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(suite.tokensIssuedTo("inventory-service") >= 1, "inventory-service got its token with its key");
    }
}
