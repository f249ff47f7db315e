package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.ServiceProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Stock reserved, but the order cannot be stored: the reservation is released, and a retry with the same
 * Idempotency-Key succeeds exactly once. The failure is real: orders-service's own Redis user loses the right to
 * write orders (everything else it needs stays) until the test gives it back. Then the order is stored, but not as
 * durably as orders-service was told to store it (it waits for a replica this Redis does not have): it is taken back,
 * and its key with it.
 */
@Order(Integer.MAX_VALUE - 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@FaultSuite
class OrderStorageFailureIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate(redis -> {
            // Everything orders-service needs except writing orders themselves.
            assertEquals("+OK", redis.command("ACL", "SETUSER", "orders-service", "resetkeys", "~orders:idempotency:*",
                    "%R~auth:denied", "%R~auth:revocations"));
        });
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static int stock(String token) {
        return given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/BOOK-002")
                .then().statusCode(200).extract().path("stock");
    }

    private static String token() {
        return suite.demoCliToken("orders:read orders:write inventory:read");
    }

    @Test
    @Order(1)
    void orderNotStorableThenReservationReleasedAndSameKeySucceedsOnce() {
        String token = token();
        int before = stock(token);
        String body = "{\"lines\":[{\"sku\":\"BOOK-002\",\"quantity\":2}]}";

        given().auth().oauth2(token).header("Idempotency-Key", "order-42").contentType("application/json").body(body)
                .post(suite.orders.url() + "/orders").then().statusCode(503)
                .header("Retry-After", equalTo("5")).body("error", equalTo("storage_unavailable"));
        assertEquals(before, stock(token), "the reservation was released");

        assertEquals("+OK", suite.redis.command("ACL", "SETUSER", "orders-service", "~orders:*"));
        String id = given().auth().oauth2(token).header("Idempotency-Key", "order-42").contentType("application/json")
                .body(body).post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
        String replayed = given().auth().oauth2(token).header("Idempotency-Key", "order-42").contentType("application/json")
                .body(body).post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
        assertEquals(id, replayed);
        assertEquals(before - 2, stock(token), "reserved exactly once");
    }

    @Test
    @Order(2)
    void orderStoredButNotReplicatedThenTakenBackAndSameKeySucceedsOnce() {
        assertEquals("+OK", suite.redis.command("ACL", "SETUSER", "orders-service", "~orders:*"));
        // Waits for a replica this Redis does not have: its save runs, then WAIT finds none, and the order is taken
        // back. Before the key went back with it, every retry with that key was refused as spent for 24 hours.
        ServiceProcess waiting = suite.startReplica("orders-service", "durable", Map.of("REDIS_DURABLE_REPLICAS", "1"));
        String token = token();
        int before = stock(token);
        String body = "{\"lines\":[{\"sku\":\"BOOK-002\",\"quantity\":1}]}";

        given().auth().oauth2(token).header("Idempotency-Key", "order-43").contentType("application/json").body(body)
                .post(waiting.url() + "/orders").then().statusCode(503)
                .header("Retry-After", equalTo("5")).body("error", equalTo("storage_unavailable"));
        assertEquals(before, stock(token), "the reservation was released");

        // The retry the 503 invites, at an orders-service that does not wait for replicas.
        String id = given().auth().oauth2(token).header("Idempotency-Key", "order-43").contentType("application/json")
                .body(body).post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
        // A replay answers 201 only once the order is as durable as its first answer would be: the replica that
        // waits for a replica this Redis lacks cannot vouch for it.
        given().auth().oauth2(token).header("Idempotency-Key", "order-43").contentType("application/json")
                .body(body).post(waiting.url() + "/orders").then().statusCode(503)
                .header("Retry-After", equalTo("5")).body("error", equalTo("storage_unavailable"));
        String replayed = given().auth().oauth2(token).header("Idempotency-Key", "order-43").contentType("application/json")
                .body(body).post(suite.orders.url() + "/orders").then().statusCode(201)
                .header("Idempotent-Replayed", equalTo("true")).extract().path("id");
        assertEquals(id, replayed);
        assertEquals(before - 1, stock(token), "reserved exactly once");
    }
}
