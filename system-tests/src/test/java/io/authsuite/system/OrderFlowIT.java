package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole suite over real HTTP: a client-credentials token for demo-cli places orders; orders-service reserves
 * stock in inventory-service with its own token, which it fetched from auth-service once for all of them.
 */
class OrderFlowIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
    }

    private static String demoCliToken() {
        return given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .post(suite.auth.url() + "/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static int stock(String token, String sku) {
        return given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/" + sku)
                .then().statusCode(200).extract().path("stock");
    }

    @Test
    void ordersPlacedWithDemoClientReserveStockThroughAllThreeServices() {
        String token = demoCliToken();
        int before = stock(token, "MUG-001");
        // Counted from here: other tests start orders-service replicas of their own on this suite, each with its token.
        int tokensBefore = suite.tokensIssuedTo("orders-service");
        int orders = 12;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            ids.add(given().auth().oauth2(token).contentType("application/json")
                    .body("{\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1}]}")
                    .post(suite.orders.url() + "/orders")
                    .then().statusCode(201)
                    .body("status", equalTo("placed"))
                    .body("owner", equalTo("demo-cli"))
                    .extract().path("id"));
        }
        assertEquals(before - orders, stock(token, "MUG-001"));
        for (String id : ids) {
            given().auth().oauth2(token).get(suite.orders.url() + "/orders/" + id)
                    .then().statusCode(200).body("lines[0].sku", equalTo("MUG-001"));
        }
        // orders-service fetched its service token at start, and reused it for every reservation.
        assertTrue(tokensBefore >= 1, "orders-service has no service token yet");
        assertEquals(tokensBefore, suite.tokensIssuedTo("orders-service"));
    }

    @Test
    void orderForMoreThanStockThenConflictWithShortLinesAndStockUnchanged() {
        String token = demoCliToken();
        int before = stock(token, "PEN-001");
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1},{\"sku\":\"PEN-001\",\"quantity\":" + (before + 1) + "}]}")
                .post(suite.orders.url() + "/orders")
                .then().statusCode(409)
                .body("error", equalTo("insufficient_stock"))
                .body("details.shortLines[0].sku", equalTo("PEN-001"));
        assertEquals(before, stock(token, "PEN-001"));
    }

    @Test
    void orderWithUnknownSkuThenBadRequestNamingLine() {
        given().auth().oauth2(demoCliToken()).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1},{\"sku\":\"NO-SUCH-SKU\",\"quantity\":1}]}")
                .post(suite.orders.url() + "/orders")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("lines[1].sku"));
    }

    @Test
    void demoClientTokenCannotReserveStockDirectly() {
        given().auth().oauth2(demoCliToken()).contentType("application/json")
                .body("{\"orderId\":\"direct\",\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1}]}")
                .post(suite.inventory.url() + "/inventory/reservations")
                .then().statusCode(403);
    }

    @Test
    void discoveryAndJwksServedWithConfiguredIssuer() {
        given().get(suite.auth.url() + "/.well-known/openid-configuration")
                .then().statusCode(200).body("issuer", equalTo(suite.auth.url()));
        // Managed keys: the active key and the next one are both published.
        given().get(suite.auth.url() + "/oauth2/jwks").then().statusCode(200)
                .body("keys.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(2));
    }
}
