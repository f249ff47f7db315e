package io.authsuite.orders.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.testing.TestIssuer;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * orders-service on its own: inventory-service and auth-service are not running here, so placing an order
 * meets them down (the system tests run all three together).
 */
@QuarkusTest
class OrdersResourceTest {

    private static final String AUD = "orders-service";

    @Inject
    OrderStore store;

    static String writer(String subject) {
        return TestIssuer.token(subject, AUD, "orders:write", "orders:read");
    }

    private Order stored(String owner) {
        Order order = new Order(UUID.randomUUID().toString(), owner, Order.PLACED,
                List.of(new OrderLine("BOOK-001", 1)), Instant.now());
        store.save(order, null).await().indefinitely();
        store.confirmed(order.id());
        return order;
    }

    @Test
    void placeOrderWhenInventoryUnavailableThenServiceUnavailableAndNothingStored() {
        long before = RedisTestResource.server().keyCount("orders:order:*");
        given().auth().oauth2(writer("demo-cli")).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .post("/orders")
                .then().statusCode(503)
                .header("Retry-After", equalTo("5"))
                .body("error", equalTo("inventory_unavailable"));
        assertEquals(before, RedisTestResource.server().keyCount("orders:order:*"));
    }

    @Test
    void placeOrderWhenLinesOfOneSkuAddUpBeyondTheCapThenBadRequestNamingTheSku() {
        // Each line is within 1..10000; together they would reserve 20000 of one item.
        given().auth().oauth2(writer("demo-cli")).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":10000},{\"sku\":\"BOOK-001\",\"quantity\":10000}]}")
                .post("/orders").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("lines"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("BOOK-001"));
    }

    @Test
    void getOwnOrderThenOrder() {
        Order order = stored("owner-1");
        given().auth().oauth2(writer("owner-1")).get("/orders/" + order.id())
                .then().statusCode(200)
                .body("id", equalTo(order.id()))
                .body("status", equalTo("placed"))
                .body("lines[0].sku", equalTo("BOOK-001"));
    }

    @Test
    void getOrderOfAnotherOwnerThenNotFound() {
        Order order = stored("owner-2");
        given().auth().oauth2(writer("someone-else")).get("/orders/" + order.id())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void getOrderOfAnotherOwnerAsAdminThenTheOrder() {
        Order order = stored("owner-3");
        String admin = TestIssuer.sign(TestIssuer.claims("admin-subject", AUD, "orders:read")
                .claim("client_id", "web-app").groups("admin"));
        given().auth().oauth2(admin).get("/orders/" + order.id()).then().statusCode(200)
                .body("id", equalTo(order.id()))
                .body("owner", equalTo("owner-3"))
                .body("lines[0].sku", equalTo("BOOK-001"));
    }

    @Test
    void getOrderWhenIdMalformedOrUnknownThenClearError() {
        given().auth().oauth2(writer("x")).get("/orders/not-an-id").then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
        given().auth().oauth2(writer("x")).get("/orders/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void getOrderWithoutReadScopeThenInsufficientScope() {
        Order order = stored("owner-4");
        given().auth().oauth2(TestIssuer.token("owner-4", AUD, "orders:write")).get("/orders/" + order.id())
                .then().statusCode(403).header("WWW-Authenticate", containsString("scope=\"orders:read\""));
    }
}
