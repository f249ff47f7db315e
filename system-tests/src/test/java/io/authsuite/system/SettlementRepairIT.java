package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A cancel, a fulfil and a delete whose stock moved at inventory-service, but whose order could not be written, and
 * a second, different request for such an order: the order stays as it was only until the repair job of
 * orders-service finishes each of them as the stock says, without a retry by the client. The failure is real: orders-service's own Redis user loses the right to write orders themselves (it keeps
 * the intents, indexes and claims) until the test gives it back.
 */
@Order(Integer.MAX_VALUE - 2)
@FaultSuite
class SettlementRepairIT {

    /** Everything redis/users.acl gives orders-service, except writing the orders themselves. */
    private static final String[] ORDERS_READ_ONLY = {"ACL", "SETUSER", "orders-service", "resetkeys",
        "~orders:settling", "~orders:unconfirmed", "~orders:idempotency:*", "~orders:owner:*", "~orders:all",
        "~orders:sku:*", "%R~orders:*", "%R~auth:denied", "%R~auth:revocations", "%R~auth:{revocations}:*"};
    private static final String[] ORDERS_WRITABLE = {"ACL", "SETUSER", "orders-service", "resetkeys", "~orders:*",
        "%R~auth:denied", "%R~auth:revocations", "%R~auth:{revocations}:*"};

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate(Map.of("orders-service", Map.of(
                "ORDERS_SETTLEMENT_RETRY_INTERVAL", "1s", "ORDERS_SETTLEMENT_RETRY_AFTER", "1s")));
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static int[] stockAndReserved(String token, String sku) {
        var json = given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/" + sku)
                .then().statusCode(200).extract().jsonPath();
        return new int[] {json.getInt("stock"), json.getInt("reserved")};
    }

    private static String order(String token, String sku) {
        return given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")
                .post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
    }

    private static int status(String admin, String id) {
        return given().auth().oauth2(admin).get(suite.orders.url() + "/orders/" + id).statusCode();
    }

    private static String orderStatus(String admin, String id) {
        return given().auth().oauth2(admin).get(suite.orders.url() + "/orders/" + id).then().statusCode(200)
                .extract().path("status");
    }

    @Test
    void settlementsWhenOrderWriteRefusedThenStockMovedAndRepairJobFinishesThemWithoutRetry() throws Exception {
        String admin = suite.accessTokenFor("admin", "admin-password", "openid orders:read orders:write inventory:read");
        String inventoryAdmin = suite.accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        String sku = "SR-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(inventoryAdmin).contentType("application/json")
                .body("{\"name\":\"settlement\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":10}")
                .put(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(201);
        String cancelled = order(admin, sku);
        String fulfilled = order(admin, sku);
        String deleted = order(admin, sku);
        String fulfilledThenCancelled = order(admin, sku);
        String cancelledThenFulfilled = order(admin, sku);
        assertArrayEquals(new int[] {5, 5}, stockAndReserved(admin, sku));

        assertEquals("+OK", suite.redis.command(ORDERS_READ_ONLY));
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + cancelled + "/cancel").then()
                .statusCode(503).header("Retry-After", equalTo("5")).body("error", equalTo("storage_unavailable"))
                .body("detail", containsString("completes in the background"));
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + fulfilled + "/fulfil").then()
                .statusCode(503).body("error", equalTo("storage_unavailable"));
        given().auth().oauth2(admin).delete(suite.orders.url() + "/orders/" + deleted).then()
                .statusCode(503).body("error", equalTo("storage_unavailable"));
        // A different request for an order whose first one stopped half-way waits for it (409 with Retry-After): the
        // first was promised to complete, and does.
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + fulfilledThenCancelled + "/fulfil").then()
                .statusCode(503);
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + fulfilledThenCancelled + "/cancel").then()
                .statusCode(409).header("Retry-After", equalTo("11")).body("error", equalTo("settlement_in_progress"));
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + cancelledThenFulfilled + "/cancel").then()
                .statusCode(503);
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + cancelledThenFulfilled + "/fulfil").then()
                .statusCode(409).body("error", equalTo("settlement_in_progress"));
        // Inventory took every first write: back, shipped, back, shipped, back.
        assertArrayEquals(new int[] {8, 0}, stockAndReserved(admin, sku));
        // The orders could not follow yet (and the repair job cannot write them either).
        Thread.sleep(2_500);
        assertEquals("placed", orderStatus(admin, cancelled));
        assertEquals("placed", orderStatus(admin, fulfilled));
        assertEquals("placed", orderStatus(admin, deleted));
        assertEquals("5", suite.redis.command("HLEN", "orders:settling").substring(1));

        assertEquals("+OK", suite.redis.command(ORDERS_WRITABLE));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && !suite.redis.command("HLEN", "orders:settling").equals(":0")) {
            Thread.sleep(200);
        }
        assertEquals(":0", suite.redis.command("HLEN", "orders:settling"), "every intent finished");
        assertEquals("cancelled", orderStatus(admin, cancelled));
        assertEquals("fulfilled", orderStatus(admin, fulfilled));
        assertEquals(404, status(admin, deleted));
        assertEquals("fulfilled", orderStatus(admin, fulfilledThenCancelled));
        assertEquals("cancelled", orderStatus(admin, cancelledThenFulfilled));
        assertArrayEquals(new int[] {8, 0}, stockAndReserved(admin, sku), "nothing moved twice");
        given().get(suite.orders.url() + "/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'inventory-service' }.data.'unsettled-orders'", equalTo(0));
    }
}
