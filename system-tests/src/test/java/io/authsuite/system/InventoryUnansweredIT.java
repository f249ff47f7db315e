package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.NetworkLink;
import io.authsuite.testing.ServiceProcess;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * inventory-service does the work but its answers do not come back (a congested link): orders-service's reserve call
 * times out after inventory has reserved. The order fails with 503, and the stock must not stay held for an order
 * that does not exist: orders-service releases what it gave up on, so a retry (a new order) does not hold it twice
 * until the hold lapses.
 */
@FaultSuite
class InventoryUnansweredIT {

    private static final String SKU = "MUG-001";

    private static NetworkLink link;
    private static ServiceProcess orders;
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
        link = NetworkLink.to(URI.create(suite.inventory.url()).getPort());
        orders = suite.startReplica("orders-service", "inventory-unanswered",
                Map.of("INVENTORY_URL", "http://127.0.0.1:" + link.port()));
    }

    @AfterAll
    static void stop() {
        if (orders != null) {
            orders.close();
        }
        if (link != null) {
            link.close();
        }
    }

    /** stock and reserved of the item, read from inventory-service directly. */
    private static long[] item(String token) {
        JsonPath item = given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/" + SKU)
                .then().statusCode(200).extract().jsonPath();
        return new long[] {item.getLong("stock"), item.getLong("reserved")};
    }

    @Test
    void placeWhenInventoryAnswersNeverArriveThen503AndStockNotLeftHeld() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        long[] before = item(token);

        link.holdBack();
        Response placed;
        try {
            // A client that gives up after 30 s: the reserve call's deadline and retries take about 10 s.
            placed = given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                            .setParam("http.socket.timeout", 30_000)))
                    .auth().oauth2(token).contentType("application/json")
                    .body("{\"lines\":[{\"sku\":\"" + SKU + "\",\"quantity\":1}]}")
                    .post(orders.url() + "/orders");
            assertEquals(503, placed.statusCode(), placed.asString());
            assertTrue(placed.getHeader("Retry-After") != null, "503 without Retry-After");

            // inventory-service reserved (only its answers were held back); the release that follows the failure
            // reaches it the same way. Its books must come back to where they were, without waiting for the hold.
            long[] now = item(token);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while ((now[0] != before[0] || now[1] != before[1]) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                now = item(token);
            }
            System.out.printf("%nreserve answers held back: orders answered %d; %s stock/reserved %d/%d before, "
                    + "%d/%d after%n", placed.statusCode(), SKU, before[0], before[1], now[0], now[1]);
            assertEquals(before[0], now[0], "stock left held for an order that was answered 503");
            assertEquals(before[1], now[1], "reserved left raised for an order that was answered 503");
        } finally {
            link.release();
        }
    }
}
