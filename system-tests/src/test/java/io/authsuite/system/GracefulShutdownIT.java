package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A rollout, a scale-in or a node drain sends SIGTERM to a pod that may be in the middle of placing an order: the
 * order must finish and be answered, not be cut off with its stock reserved and no answer.
 */
@Order(Integer.MAX_VALUE - 5)
@FaultSuite
class GracefulShutdownIT {

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

    /** Until orders-service counts a request in flight (its own /q/ requests are not counted). */
    private static void awaitInFlight() throws InterruptedException {
        java.util.regex.Pattern active = java.util.regex.Pattern.compile("(?m)^http_server_active_requests\\S* ([0-9.]+)$");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher m = active.matcher(given().get(suite.orders.url() + "/q/metrics").asString());
            if (m.find() && Double.parseDouble(m.group(1)) >= 1) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the order never reached orders-service");
    }

    @Test
    void sigtermWhileOrderInFlightThenOrderCompletesAndServiceExits() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("SIGTERM", 10);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        given().auth().oauth2(token).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders").then().statusCode(201);

        // Redis holds every write for 2 s (the operator's CLIENT PAUSE): the next order is in flight meanwhile.
        suite.redis.command("CLIENT", "PAUSE", "2000", "WRITE");
        CompletableFuture<Response> placing = CompletableFuture.supplyAsync(() -> given().auth().oauth2(token)
                .contentType("application/json").body(line).post(suite.orders.url() + "/orders"));
        awaitInFlight();
        ProcessHandle.of(suite.orders.pid()).orElseThrow().destroy();

        Response placed = placing.get(30, TimeUnit.SECONDS);
        assertEquals(201, placed.statusCode(), "the order in flight at SIGTERM: " + placed.asString());
        assertTrue(suite.orders.awaitExit(Duration.ofSeconds(25)) >= 0, "orders-service exits once it is answered");
        given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(200)
                .body("stock", org.hamcrest.Matchers.equalTo(8)).body("reserved", org.hamcrest.Matchers.equalTo(2));
    }
}
