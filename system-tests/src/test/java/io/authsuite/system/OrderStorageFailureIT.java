package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Stock reserved, but the order cannot be stored: the reservation is released, and a retry with the same
 * Idempotency-Key succeeds exactly once. The failure is real: orders-service connects to Redis as an ACL user that
 * may not write orders until the test grants it.
 */
@Order(Integer.MAX_VALUE - 2)
class OrderStorageFailureIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate(Map.of("REDIS_URL", "redis://orders:orders-pw@127.0.0.1:{redisPort}"), redis -> {
            // Everything orders-service needs except writing orders themselves.
            redis.command("ACL", "SETUSER", "orders", "on", ">orders-pw", "~orders:idempotency:*", "~auth:*", "+@all");
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

        suite.redis.command("ACL", "SETUSER", "orders", "~*");
        String id = given().auth().oauth2(token).header("Idempotency-Key", "order-42").contentType("application/json")
                .body(body).post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
        String replayed = given().auth().oauth2(token).header("Idempotency-Key", "order-42").contentType("application/json")
                .body(body).post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
        assertEquals(id, replayed);
        assertEquals(before - 2, stock(token), "reserved exactly once");
    }
}
