package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** held → reserved (confirm) → committed, or → released; every step idempotent, wrong steps 409. */
@QuarkusTest
class ReservationLifecycleTest {

    private static final String AUD = "inventory-service";

    @Inject
    InventoryStore store;

    @Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Inject
    io.authsuite.redis.KeyLayout layout;

    private static String service() {
        return TestIssuer.token("orders-service", AUD, "inventory:reserve");
    }

    private String reserve(String sku, int quantity) {
        String order = "life-" + UUID.randomUUID();
        given().auth().oauth2(service()).contentType("application/json")
                .body("{\"orderId\":\"" + order + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}")
                .post("/inventory/reservations").then().statusCode(201).body("status", equalTo("held"));
        return order;
    }

    private String item(long stock) {
        String sku = "LIFE-" + UUID.randomUUID().toString().substring(0, 8);
        store.createIfAbsent(sku, "life", stock);
        return sku;
    }

    private Item get(String sku) {
        return store.find(sku).orElseThrow();
    }

    private static io.restassured.response.ValidatableResponse step(String order, String action) {
        return given().auth().oauth2(service()).post("/inventory/reservations/" + order + "/" + action).then();
    }

    @Test
    void confirmThenCommitThenStockGoneAndReservedCleared() {
        String sku = item(5);
        String order = reserve(sku, 2);
        step(order, "confirm").statusCode(200).body("status", equalTo("reserved")).body("expiresAt", equalTo(0));
        step(order, "confirm").statusCode(200).body("status", equalTo("reserved"));
        step(order, "commit").statusCode(200).body("status", equalTo("committed"));
        step(order, "commit").statusCode(200);
        assertEquals(3, get(sku).stock());
        assertEquals(0, get(sku).reserved());
        step(order, "release").statusCode(409).body("error", equalTo("reservation_state"));
    }

    @Test
    void settledThenReservationKeptForAWhileNotForEver() {
        String confirmed = reserve(item(5), 1);
        step(confirmed, "confirm").statusCode(200);
        // An open order's reservation lives as long as the order: no expiry.
        assertEquals(-1, redis.key().ttl(layout.group("inventory:", "stock") + "reservation:" + confirmed));
        step(confirmed, "commit").statusCode(200);
        String released = reserve(item(5), 1);
        step(released, "release").statusCode(200);
        for (String settled : java.util.List.of(confirmed, released)) {
            long ttl = redis.key().ttl(layout.group("inventory:", "stock") + "reservation:" + settled);
            assertTrue(ttl > 6 * 86_400 && ttl <= 7 * 86_400, settled + " expires in " + ttl + " s");
        }
    }

    @Test
    void releaseThenStockReturnsOnceAndCommitRefused() {
        String sku = item(5);
        String order = reserve(sku, 4);
        assertEquals(1, get(sku).stock());
        step(order, "release").statusCode(200).body("status", equalTo("released"));
        step(order, "release").statusCode(200);
        assertEquals(5, get(sku).stock());
        assertEquals(0, get(sku).reserved());
        step(order, "commit").statusCode(409);
        step(order, "confirm").statusCode(409);
    }

    @Test
    void reserveWhenLinesOfOneSkuAddUpBeyondTheCapThenBadRequestAndNothingHeld() {
        given().auth().oauth2(service()).contentType("application/json")
                .body("{\"orderId\":\"dup-cap\",\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":6000},"
                        + "{\"sku\":\"BOOK-001\",\"quantity\":6000}]}")
                .post("/inventory/reservations").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("lines"));
        given().auth().oauth2(service()).get("/inventory/reservations/dup-cap").then().statusCode(404);
    }

    @Test
    void unknownReservationThenNotFoundAndBadIdThenBadRequest() {
        // orders-service takes only this code as proof that nothing is reserved, not any 404 on the way.
        step("no-such-order", "release").statusCode(404)
                .body("error", org.hamcrest.Matchers.equalTo("reservation_not_found"));
        given().auth().oauth2(service()).get("/inventory/reservations/no-such-order").then().statusCode(404);
        step("bad%20id", "commit").statusCode(400);
    }

    private static io.restassured.response.ValidatableResponse reserveAs(String order, String sku, int quantity) {
        return given().auth().oauth2(service()).contentType("application/json")
                .body("{\"orderId\":\"" + order + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}")
                .post("/inventory/reservations").then();
    }

    @Test
    void reserveWhenOrderReleasedBeforeThenRefusedAndStockKept() {
        // orders-service gave up on a reserve call (timed out) and released the order; the call arrives afterwards.
        String sku = item(5);
        String order = "late-" + UUID.randomUUID();
        step(order, "release").statusCode(404);
        reserveAs(order, sku, 2).statusCode(409).contentType("application/problem+json")
                .body("error", equalTo("reservation_state")).body("details.reservationStatus", equalTo("released"));
        assertEquals(5, get(sku).stock());
        assertEquals(0, get(sku).reserved());
        // The mark is not a reservation: nothing to read, and it lapses.
        given().auth().oauth2(service()).get("/inventory/reservations/" + order).then().statusCode(404);
        long ttl = redis.key().ttl(layout.group("inventory:", "stock") + "released-before-reserved:" + order);
        assertTrue(ttl > 0 && ttl <= 2 * 300, "the release mark expires in " + ttl + " s");
    }

    @Test
    void reserveWhenReservationAlreadyReleasedThenConflictNotHeld() {
        String sku = item(5);
        String order = reserve(sku, 2);
        step(order, "release").statusCode(200);
        // The same order id again must not answer as if the stock were still held for it.
        reserveAs(order, sku, 2).statusCode(409).body("error", equalTo("reservation_state"))
                .body("details.reservationStatus", equalTo("released"));
        assertEquals(5, get(sku).stock());
        assertEquals(0, get(sku).reserved());
    }

    @Test
    void confirmWhenItemDiscontinuedSinceReserveThenReleasedAndConflict() {
        // The order was reserved before the item was discontinued, but stored after orders-service swept the item's
        // open orders: its confirmation is where it is caught.
        String sku = item(5);
        String single = reserve(sku, 2);
        String batched = reserve(sku, 1);
        String other = reserve(item(5), 1);
        store.discontinue(sku);
        step(single, "confirm").statusCode(409).body("error", equalTo("reservation_state"))
                .body("details.reservationStatus", equalTo("released"));
        given().auth().oauth2(service()).contentType("application/json")
                .body("{\"orderIds\":[\"" + batched + "\",\"" + other + "\"]}")
                .post("/inventory/reservations/confirmations").then().statusCode(200)
                .body("results[0].outcome", equalTo("conflict")).body("results[0].status", equalTo("released"))
                .body("results[1].outcome", equalTo("confirmed")).body("results[1].status", equalTo("reserved"));
        assertEquals(5, get(sku).stock());
        assertEquals(0, get(sku).reserved());
        step(single, "confirm").statusCode(409);
    }

    @Test
    void reserveWhenSameOrderStillHeldThenSameReservationOnce() {
        String sku = item(5);
        String order = reserve(sku, 2);
        reserveAs(order, sku, 2).statusCode(200).body("status", equalTo("held"));
        assertEquals(3, get(sku).stock());
        assertEquals(2, get(sku).reserved());
    }

    /** A token orders-service obtained for user-1 by token exchange (RFC 8693): sub the person, act the service. */
    private static String exchanged(String actor, String clientId) {
        return TestIssuer.sign(TestIssuer.claims("user-1", AUD, "inventory:reserve").claim("client_id", clientId)
                .claim("act", java.util.Map.of("sub", actor)));
    }

    @Test
    void reserveWithTokenExchangedForPersonThenReservationRecordsPersonAndService() {
        String order = "life-" + UUID.randomUUID();
        given().auth().oauth2(exchanged("orders-service", "orders-service")).contentType("application/json")
                .body("{\"orderId\":\"" + order + "\",\"lines\":[{\"sku\":\"" + item(3) + "\",\"quantity\":1}]}")
                .post("/inventory/reservations").then().statusCode(201)
                .body("reservedBy", equalTo("user-1")).body("via", equalTo("orders-service"));
        // The lifecycle steps stay the service's own work.
        given().auth().oauth2(exchanged("orders-service", "orders-service"))
                .post("/inventory/reservations/" + order + "/confirm").then().statusCode(403);
        given().auth().oauth2(service()).get("/inventory/reservations/" + order).then().statusCode(200)
                .body("reservedBy", equalTo("user-1")).body("via", equalTo("orders-service"));
    }

    @Test
    void reserveAsServiceThenReservedByTheServiceWithoutActor() {
        String order = reserve(item(3), 1);
        given().auth().oauth2(service()).get("/inventory/reservations/" + order).then().statusCode(200)
                .body("reservedBy", equalTo("orders-service")).body("$", org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.hasKey("via")));
    }

    @Test
    void reserveWhenActorIsNotTheRequestingClientThenForbidden() {
        // act names a service, but the token was not requested by it: not a token exchange of this server.
        given().auth().oauth2(exchanged("orders-service", "web-app")).contentType("application/json")
                .body("{\"orderId\":\"life-" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"" + item(3)
                        + "\",\"quantity\":1}]}")
                .post("/inventory/reservations").then().statusCode(403);
    }

    @Test
    void lifecycleStepsAreForServicesOnly() {
        String order = reserve(item(2), 1);
        String person = TestIssuer.sign(TestIssuer.claims("user-1", AUD, "inventory:reserve").claim("client_id", "web-app"));
        given().auth().oauth2(person).post("/inventory/reservations/" + order + "/release").then().statusCode(403);
    }
}
