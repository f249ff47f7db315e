package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Stock reserved, but the order cannot be stored: the reservation is released, and a retry with the same
 * Idempotency-Key succeeds exactly once. The failure is real: orders-service's own Redis user loses the right to
 * write orders (everything else it needs stays) until the test gives it back.
 */
@Order(Integer.MAX_VALUE - 2)
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

    @Test
    void orderNotStorableThenReservationReleasedAndSameKeySucceedsOnce() {
        String token = given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
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
}
