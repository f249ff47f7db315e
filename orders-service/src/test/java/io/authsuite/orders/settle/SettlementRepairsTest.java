package io.authsuite.orders.settle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Settlements recorded before their first write, and the job that finishes the ones left behind. inventory-service is
 * down here, as a process that died between the two writes would leave it to a replica that cannot reach it either;
 * the whole repair, with inventory up and the order's write refused by Redis, is in system-tests
 * ({@code SettlementRepairIT}).
 */
@QuarkusTest
class SettlementRepairsTest {

    private static final String AUD = "orders-service";

    @Inject
    OrderStore store;

    @Inject
    SettlementIntents intents;

    @Inject
    SettlementRepairs repairs;

    @Inject
    CircuitBreakerMaintenance circuits;

    @BeforeEach
    void noIntents() {
        // Other test classes leave intents behind on purpose (cancellations that inventory never answered).
        RedisTestResource.server().command("DEL", intentsKey());
    }

    @AfterEach
    void closeCircuits() {
        circuits.resetAll();
    }

    private Order stored(String owner, String status) {
        Order order = new Order(UUID.randomUUID().toString(), owner, status, List.of(new OrderLine("BOOK-001", 1)),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.save(order, null).await().indefinitely();
        store.confirmed(order.id());
        return order;
    }

    private static String person(String subject) {
        return TestIssuer.sign(TestIssuer.claims(subject, AUD, "orders:read", "orders:write")
                .claim("client_id", "web-app").groups("user"));
    }

    private static String admin() {
        return TestIssuer.sign(TestIssuer.claims("admin-sub", AUD, "orders:read", "orders:write")
                .claim("client_id", "web-app").groups("admin"));
    }

    static String intentsKey() {
        return io.authsuite.redis.KeyLayout.of(RedisTestResource.server().clustered()).group("orders:", "orders")
                + "settling";
    }

    private static String intentOf(String orderId) {
        return RedisTestResource.server().command("HGET", intentsKey(), orderId);
    }

    @Test
    void cancelWhenInventoryUnavailableThenIntentStaysRecordedAndClientToldItCompletesLater() {
        Order order = stored("s-1", Order.PLACED);
        given().auth().oauth2(person("s-1")).post("/orders/" + order.id() + "/cancel").then().statusCode(503)
                .header("Retry-After", equalTo("5")).body("error", equalTo("inventory_unavailable"))
                .body("detail", containsString("cancellation is recorded"));
        assertEquals("CANCELLED", intentOf(order.id()).split("\\|")[0]);
        given().auth().oauth2(person("s-1")).get("/orders/" + order.id()).then().body("status", equalTo("placed"));
    }

    @Test
    void fulfilAndDeleteWhenInventoryUnavailableThenTheirIntentsRecorded() {
        Order fulfil = stored("s-2", Order.PLACED);
        given().auth().oauth2(admin()).post("/orders/" + fulfil.id() + "/fulfil").then().statusCode(503)
                .body("detail", containsString("fulfilment is recorded"));
        assertEquals("FULFILLED", intentOf(fulfil.id()).split("\\|")[0]);
        Order delete = stored("s-2", Order.PLACED);
        given().auth().oauth2(admin()).delete("/orders/" + delete.id()).then().statusCode(503)
                .body("detail", containsString("deletion is recorded"));
        assertEquals("DELETED", intentOf(delete.id()).split("\\|")[0]);
        given().auth().oauth2(admin()).get("/orders/" + delete.id()).then().statusCode(200);
    }

    @Test
    void transitionsWithoutInventoryStepThenNoIntentRecorded() {
        Order cancelled = stored("s-3", Order.CANCELLED);
        given().auth().oauth2(person("s-3")).post("/orders/" + cancelled.id() + "/cancel").then().statusCode(200);
        Order fulfilled = stored("s-3", Order.FULFILLED);
        given().auth().oauth2(admin()).delete("/orders/" + fulfilled.id()).then().statusCode(204);
        assertEquals(0, intents.size());
    }

    @Test
    void repairWhenInventoryUnavailableThenIntentKeptAndOrderUnchanged() {
        Order order = stored("s-4", Order.PLACED);
        intents.begin(order.id(), SettlementIntents.Target.CANCELLED);
        assertEquals(0, repairs.repair());
        assertEquals(1, intents.size());
        assertEquals(Order.PLACED, store.find(order.id()).orElseThrow().status());
    }

    @Test
    void repairWhenOrderAlreadySettledOrGoneThenIntentRemovedWithoutInventory() {
        // The order's write landed but the intent's removal did not; or the order was deleted since.
        Order cancelled = stored("s-5", Order.CANCELLED);
        intents.begin(cancelled.id(), SettlementIntents.Target.CANCELLED);
        Order fulfilled = stored("s-5", Order.FULFILLED);
        intents.begin(fulfilled.id(), SettlementIntents.Target.CANCELLED);
        intents.begin(UUID.randomUUID().toString(), SettlementIntents.Target.FULFILLED);
        assertEquals(3, repairs.repair());
        assertEquals(0, intents.size());
        assertEquals(Order.CANCELLED, store.find(cancelled.id()).orElseThrow().status());
        assertEquals(Order.FULFILLED, store.find(fulfilled.id()).orElseThrow().status());
    }

    @Test
    void repairWhenDeletionOfSettledOrderLeftBehindThenOrderRemoved() {
        Order fulfilled = stored("s-6", Order.FULFILLED);
        intents.begin(fulfilled.id(), SettlementIntents.Target.DELETED);
        assertEquals(1, repairs.repair());
        assertEquals(0, intents.size());
        assertEquals(java.util.Optional.empty(), store.find(fulfilled.id()));
    }

    @Test
    void repairWhenOneIntentCannotBeFinishedThenTheYoungerOnesStillAre() throws Exception {
        String corrupt = UUID.randomUUID().toString();
        String orderKey = intentsKey().replace("settling", "order:") + corrupt;
        RedisTestResource.server().command("SET", orderKey, "{not json");
        intents.begin(corrupt, SettlementIntents.Target.CANCELLED);
        Thread.sleep(5);
        Order cancelled = stored("s-7", Order.CANCELLED);
        intents.begin(cancelled.id(), SettlementIntents.Target.CANCELLED);
        assertEquals(1, repairs.repair());
        assertEquals(1, intents.size());
        assertEquals("CANCELLED", intentOf(corrupt).split("\\|")[0]);
        RedisTestResource.server().command("DEL", orderKey);
    }

    @Test
    void beginWhenAnotherChangeRecordedThenItGoesFirstAndTheSameChangeCarriesItOn() {
        String id = UUID.randomUUID().toString();
        SettlementIntents.Intent first = intents.begin(id, SettlementIntents.Target.CANCELLED);
        org.junit.jupiter.api.Assertions.assertThrows(SettlementIntents.InProgress.class,
                () -> intents.begin(id, SettlementIntents.Target.FULFILLED));
        assertEquals(first, intents.begin(id, SettlementIntents.Target.CANCELLED));
        intents.end(first);
        assertEquals(0, intents.size());
    }

    @Test
    void fulfilWhenCancelOfTheOrderUnfinishedThenConflictWithRetryAfterAndCancelKept() {
        Order order = stored("s-8", Order.PLACED);
        SettlementIntents.Intent cancel = intents.begin(order.id(), SettlementIntents.Target.CANCELLED);
        given().auth().oauth2(admin()).post("/orders/" + order.id() + "/fulfil").then().statusCode(409)
                .header("Retry-After", equalTo("10")).body("error", equalTo("settlement_in_progress"));
        assertEquals(cancel.value(), intentOf(order.id()));
    }

    @Test
    void repairWhenIntentUnreadableThenDropped() {
        RedisTestResource.server().command("HSET", intentsKey(), UUID.randomUUID().toString(), "not-an-intent");
        RedisTestResource.server().command("HSET", intentsKey(), UUID.randomUUID().toString(), "SHIPPED|1|00");
        assertEquals(0, repairs.repair());
        assertEquals(0, intents.size());
    }
}
