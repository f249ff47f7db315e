package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * inventory-service stopped: orders answer 503 with Retry-After and nothing is stored; once inventory-service is
 * back (a restart on the same address), orders go through again without restarting orders-service.
 */
@Order(Integer.MAX_VALUE - 5)
@FaultSuite
class InventoryOutageIT {

    private static final String ORDER = "{\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1}]}";

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static Response place(String token) {
        return given().auth().oauth2(token).contentType("application/json").body(ORDER)
                .post(suite.orders.url() + "/orders");
    }

    private static int stored(String token) {
        return given().auth().oauth2(token).get(suite.orders.url() + "/orders?limit=1").then().statusCode(200)
                .extract().path("total");
    }

    @Test
    void inventoryStoppedThenOrders503WithRetryAfterAndNothingStoredThenBackWithoutRestartingOrders() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        place(token).then().statusCode(201);
        int before = stored(token);

        suite.inventory.close();
        Map<Integer, Integer> during = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            Response r = place(token);
            during.merge(r.statusCode(), 1, Integer::sum);
            assertEquals(503, r.statusCode(), r.asString());
            assertTrue(r.getHeader("Retry-After") != null, "503 without Retry-After");
        }
        assertEquals(before, stored(token), "an order was stored while inventory-service was down");

        suite.restart("inventory-service", suite.inventory);
        long back = System.nanoTime();
        int status = 0;
        while (status != 201 && System.nanoTime() - back < 30_000_000_000L) {
            status = place(token).statusCode();
            if (status != 201) {
                Thread.sleep(200);
            }
        }
        System.out.printf("%ninventory-service outage: orders answered %s while it was down; the first order after "
                + "its restart went through %d ms after it was ready%n", during, (System.nanoTime() - back) / 1_000_000);
        assertEquals(201, status, "orders did not recover after inventory-service came back");
        assertEquals(before + 1, stored(token));
    }
}
