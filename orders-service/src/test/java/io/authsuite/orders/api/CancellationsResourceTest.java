package io.authsuite.orders.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CancellationsResourceTest {

    private static final String AUD = "orders-service";

    @Inject
    OrderStore store;

    @Test
    void cancellationsNeedAServiceTokenWithOrdersCancel() {
        given().auth().oauth2(TestIssuer.token("inventory-service", AUD, "orders:read")).contentType("application/json")
                .body("{\"sku\":\"X-1\"}").post("/orders/cancellations").then().statusCode(403);
        String person = TestIssuer.sign(TestIssuer.claims("p", AUD, "orders:cancel").claim("client_id", "web-app"));
        given().auth().oauth2(person).contentType("application/json").body("{\"sku\":\"X-1\"}")
                .post("/orders/cancellations").then().statusCode(403);
        given().auth().oauth2(TestIssuer.token("inventory-service", AUD, "orders:cancel")).contentType("application/json")
                .body("{\"sku\":\"not valid\"}").post("/orders/cancellations").then().statusCode(400)
                .body("errors[0].field", equalTo("sku"));
    }

    @Test
    void cancellationsWhenASweepOfTheSkuIsUnderWayThenConflictWithRetryAfterAndNoSecondSweep() {
        String sku = "SWEEP-" + UUID.randomUUID().toString().substring(0, 8);
        String service = TestIssuer.token("inventory-service", AUD, "orders:cancel");
        // The caller timed out on a long sweep and retries: that sweep still holds the sku.
        String claim = store.claimSweep(sku, java.time.Duration.ofMinutes(1)).orElseThrow();
        given().auth().oauth2(service).contentType("application/json").body("{\"sku\":\"" + sku + "\"}")
                .post("/orders/cancellations").then().statusCode(409).header("Retry-After", equalTo("10"))
                .body("error", equalTo("cancellation_in_progress"));
        store.releaseSweep(sku, claim);
        given().auth().oauth2(service).contentType("application/json").body("{\"sku\":\"" + sku + "\"}")
                .post("/orders/cancellations").then().statusCode(200).body("cancelled", equalTo(0));
        assertTrue(store.claimSweep(sku, java.time.Duration.ofSeconds(1)).isPresent(), "the sweep let go of its claim");
    }

    @Test
    void cancellationsWhenBodyMalformedThenBadRequest() {
        String service = TestIssuer.token("inventory-service", AUD, "orders:cancel");
        for (String body : new String[] {"{", "[]", "{}", "{\"sku\":42}", "{\"sku\":true}", "{\"sku\":null}",
                "{\"sku\":[\"A\"]}"}) {
            given().auth().oauth2(service).contentType("application/json").body(body)
                    .post("/orders/cancellations").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("error", equalTo("invalid_request"));
        }
    }

    @Inject
    io.authsuite.redis.KeyLayout layout;

    private boolean indexed(String sku, String orderId) {
        return ":1".equals(io.authsuite.testing.RedisTestResource.server().command("SISMEMBER",
                layout.group("orders:", "orders") + "sku:" + sku, orderId));
    }

    @Test
    void orderWhenClosedThenLeavesSkuIndexAndSweepDropsEntriesOfClosedOrders() {
        String sku = "IDX-" + UUID.randomUUID().toString().substring(0, 8);
        Order open = new Order(UUID.randomUUID().toString(), "p", Order.PLACED, List.of(new OrderLine(sku, 1)),
                Instant.now());
        store.save(open, null).await().indefinitely();
        store.confirmed(open.id());
        assertTrue(indexed(sku, open.id()));
        assertTrue(store.transition(Order.PLACED, open.withStatus(Order.FULFILLED)).moved());
        assertFalse(indexed(sku, open.id()), "a fulfilled order is not one a discontinue could cancel");

        // An order closed before the index dropped closed ones (stored closed here): the sweep drops its entry.
        Order old = new Order(UUID.randomUUID().toString(), "p", Order.CANCELLED, List.of(new OrderLine(sku, 1)),
                Instant.now());
        store.save(old, null).await().indefinitely();
        store.confirmed(old.id());
        assertTrue(indexed(sku, old.id()));
        assertEquals(List.of(), store.openWithSku(sku));
        assertFalse(indexed(sku, old.id()));
    }

    @Test
    void cancellationsWhenOrdersFinishedThenLeftAlone() {
        String sku = "DISC-" + UUID.randomUUID().toString().substring(0, 8);
        Order fulfilled = new Order(UUID.randomUUID().toString(), "p", Order.FULFILLED, List.of(new OrderLine(sku, 1)),
                Instant.now());
        store.save(fulfilled, null).await().indefinitely();
        store.confirmed(fulfilled.id());
        given().auth().oauth2(TestIssuer.token("inventory-service", AUD, "orders:cancel")).contentType("application/json")
                .body("{\"sku\":\"" + sku + "\"}").post("/orders/cancellations").then().statusCode(200)
                .body("cancelled", equalTo(0));
    }
}
