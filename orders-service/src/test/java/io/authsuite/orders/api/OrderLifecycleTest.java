package io.authsuite.orders.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

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

/** Order transitions and listing without inventory-service (which is down here: calls to it fail). */
@QuarkusTest
class OrderLifecycleTest {

    private static final String AUD = "orders-service";

    @Inject
    OrderStore store;

    private Order stored(String owner, String status) {
        return stored(owner, status, Instant.now());
    }

    private Order stored(String owner, String status, Instant createdAt) {
        Order order = new Order(UUID.randomUUID().toString(), owner, status, List.of(new OrderLine("BOOK-001", 1)),
                createdAt);
        store.save(order, null).await().indefinitely();
        store.confirmed(order.id());
        return order;
    }

    private static String person(String subject) {
        return TestIssuer.sign(TestIssuer.claims(subject, AUD, "orders:read", "orders:write").claim("client_id", "web-app")
                .groups("user"));
    }

    private static String admin() {
        return TestIssuer.sign(TestIssuer.claims("admin-sub", AUD, "orders:read", "orders:write").claim("client_id", "web-app")
                .groups("admin"));
    }

    @Test
    void cancelWhenInventoryUnavailableThenServiceUnavailableAndOrderUnchanged() {
        Order order = stored("p-1", Order.PLACED);
        given().auth().oauth2(person("p-1")).post("/orders/" + order.id() + "/cancel").then().statusCode(503);
        given().auth().oauth2(person("p-1")).get("/orders/" + order.id()).then().body("status", equalTo("placed"));
    }

    @Test
    void forbiddenTransitionsThenConflict() {
        Order fulfilled = stored("p-2", Order.FULFILLED);
        given().auth().oauth2(person("p-2")).post("/orders/" + fulfilled.id() + "/cancel").then().statusCode(409)
                .body("error", equalTo("invalid_transition"));
        Order cancelled = stored("p-2", Order.CANCELLED);
        given().auth().oauth2(admin()).post("/orders/" + cancelled.id() + "/fulfil").then().statusCode(409);
        given().auth().oauth2(person("p-2")).post("/orders/" + cancelled.id() + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
    }

    @Test
    void fulfilAndDeleteNeedAdminAndOthersOrdersAreInvisible() {
        Order order = stored("p-3", Order.PLACED);
        given().auth().oauth2(person("p-3")).post("/orders/" + order.id() + "/fulfil").then().statusCode(403);
        given().auth().oauth2(person("p-3")).delete("/orders/" + order.id()).then().statusCode(403);
        given().auth().oauth2(person("someone-else")).post("/orders/" + order.id() + "/cancel").then().statusCode(404);
        Order done = stored("p-3", Order.FULFILLED);
        given().auth().oauth2(admin()).delete("/orders/" + done.id()).then().statusCode(204);
        given().auth().oauth2(admin()).get("/orders/" + done.id()).then().statusCode(404);
    }

    @Test
    void listShowsOwnOrdersNewestFirstWithPaging() {
        String owner = "lister-" + UUID.randomUUID();
        Order first = stored(owner, Order.PLACED);
        // Orders are listed by their creation's millisecond; two made back to back can share one.
        Order newest = stored(owner, Order.CANCELLED, first.createdAt().plusMillis(1));
        given().auth().oauth2(person(owner)).queryParam("limit", 1).get("/orders").then().statusCode(200)
                .body("total", equalTo(2)).body("items.size()", equalTo(1)).body("items[0].id", equalTo(newest.id()));
        given().auth().oauth2(person(owner)).queryParam("limit", 50).get("/orders").then()
                .body("items.owner", everyItem(equalTo(owner)));
        given().auth().oauth2(person(owner)).queryParam("limit", 0).get("/orders").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void listWhenAdminThenOrdersOfEveryone() {
        Order first = stored("lister-a-" + UUID.randomUUID(), Order.PLACED);
        Order second = stored("lister-b-" + UUID.randomUUID(), Order.PLACED);
        // newest first: both fresh orders are on the admin's first page
        given().auth().oauth2(admin()).queryParam("limit", 100).get("/orders").then().statusCode(200)
                .body("items.id", hasItems(first.id(), second.id()));
        given().auth().oauth2(person(first.owner())).queryParam("limit", 100).get("/orders").then().statusCode(200)
                .body("items.id", hasItem(first.id()))
                .body("items.id", not(hasItem(second.id())));
    }

    @Test
    void orderEndpointsWhenIdMalformedThenBadRequestAndWhenUnknownThenNotFound() {
        for (String method : List.of("GET", "DELETE", "POST /cancel", "POST /fulfil")) {
            String[] parts = method.split(" ");
            String suffix = parts.length > 1 ? parts[1] : "";
            given().auth().oauth2(admin()).request(parts[0], "/orders/not-an-order" + suffix).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("id"));
            given().auth().oauth2(admin()).request(parts[0], "/orders/" + UUID.randomUUID() + suffix).then()
                    .statusCode(404).contentType("application/problem+json");
        }
    }

    /** An order of {@code owner} for one BOOK-001, stored as a request with Idempotency-Key {@code key} stores it. */
    private Order storedWithKey(String owner, String status, String key) {
        Order order = new Order(UUID.randomUUID().toString(), owner, status, List.of(new OrderLine("BOOK-001", 1)),
                Instant.now());
        store.claimIdempotencyKey(owner, key, order.id(), java.time.Duration.ofSeconds(30)).await().indefinitely();
        store.save(order, key).await().indefinitely();
        return order;
    }

    private static io.restassured.response.ValidatableResponse placeWithKey(String subject, String key) {
        return given().auth().oauth2(person(subject)).header("Idempotency-Key", key).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}").post("/orders").then();
    }

    @Test
    void placeWhenIdempotencyKeyReusedForOtherLinesThenUnprocessableAndStoredOrderKept() {
        String key = "key-" + UUID.randomUUID();
        Order order = storedWithKey("p-11", Order.PLACED, key);
        given().auth().oauth2(person("p-11")).header("Idempotency-Key", key).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":2}]}").post("/orders").then()
                .statusCode(422).contentType("application/problem+json")
                .body("error", equalTo("idempotency_key_reused"));
        placeWithKey("p-11", key).statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(order.id()));
    }

    @Test
    void placeWhenIdempotencyKeysOrderWasDeletedThenSpentWithoutRetryAfter() {
        String key = "key-" + UUID.randomUUID();
        Order order = storedWithKey("p-5", Order.CANCELLED, key);
        placeWithKey("p-5", key).statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(order.id()));

        given().auth().oauth2(admin()).delete("/orders/" + order.id()).then().statusCode(204);
        // Not "in progress" (that would have the client retry for the key's 24 hours): the order is gone for good.
        placeWithKey("p-5", key).statusCode(409).contentType("application/problem+json")
                .body("error", equalTo("idempotency_key_spent")).header("Retry-After", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void placeWhenIdempotencyKeysRequestStillRunningThenInProgressWithRetryAfter() {
        String key = "key-" + UUID.randomUUID();
        store.claimIdempotencyKey("p-6", key, UUID.randomUUID().toString(), java.time.Duration.ofSeconds(30))
                .await().indefinitely();
        placeWithKey("p-6", key).statusCode(409).body("error", equalTo("idempotency_in_progress"))
                .header("Retry-After", equalTo("1"));
    }

    @Test
    void claimWhenAnotherOwnersNameAndKeyJoinToTheSameStringThenEachOwnerHasItsOwnClaim() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Order theirs = storedWithKey("p-7", Order.PLACED, "x:" + suffix);

        // "p-7" + ":" + "x:k" and "p-7:x" + ":" + "k" spell the same string.
        String mine = UUID.randomUUID().toString();
        org.junit.jupiter.api.Assertions.assertEquals(mine, store.claimIdempotencyKey("p-7:x", suffix, mine,
                java.time.Duration.ofSeconds(30)).await().indefinitely());
        placeWithKey("p-7", "x:" + suffix).statusCode(201).header("Idempotent-Replayed", "true")
                .body("id", equalTo(theirs.id()));
    }

    @Test
    void placeWhenKeysClaimNamesAnotherOwnersOrderThenUnprocessableWithoutThatOrder() {
        String key = "key-" + UUID.randomUUID();
        Order theirs = storedWithKey("p-9", Order.PLACED, key);
        // A claim pointing across owners, as a key written before owners were kept apart could.
        store.claimIdempotencyKey("p-10", key, theirs.id(), java.time.Duration.ofSeconds(30)).await().indefinitely();

        placeWithKey("p-10", key).statusCode(422).contentType("application/problem+json")
                .body("error", equalTo("idempotency_key_reused"))
                .body(not(org.hamcrest.Matchers.containsString(theirs.id())));
    }

    @Test
    void malformedIdempotencyKeyThenBadRequest() {
        given().auth().oauth2(person("p-4")).header("Idempotency-Key", "has space").contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}").post("/orders")
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
    }
}
