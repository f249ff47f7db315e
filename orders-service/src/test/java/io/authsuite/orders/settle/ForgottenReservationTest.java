package io.authsuite.orders.settle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * inventory-service answers, as itself, that it does not know an order's reservation (its data lost since the order
 * was placed): a recorded fulfilment ends, leaving the order placed, as the live fulfilment does, instead of staying
 * recorded for ever and refusing every later change of the order with settlement_in_progress.
 */
@QuarkusTest
@TestProfile(ForgottenReservationTest.Forgetful.class)
class ForgottenReservationTest {

    public static class Forgetful implements QuarkusTestProfile {
        private static final HttpServer INVENTORY = FixedInventory.answering(404, "application/problem+json",
                "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no reservation for this order\","
                        + "\"error\":\"reservation_not_found\"}");

        @Override
        public Map<String, String> getConfigOverrides() {
            return FixedInventory.config(INVENTORY);
        }
    }

    @Inject
    OrderStore store;

    @Inject
    SettlementIntents intents;

    @Inject
    SettlementRepairs repairs;

    @Test
    void repairWhenInventoryDoesNotKnowTheReservationThenFulfilmentEndsAndOrderLeftPlaced() {
        RedisTestResource.server().command("DEL", SettlementRepairsTest.intentsKey());
        Order order = new Order(UUID.randomUUID().toString(), "f-1", Order.PLACED,
                List.of(new OrderLine("BOOK-001", 1)), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.save(order, null).await().indefinitely();
        store.confirmed(order.id());
        intents.begin(order.id(), SettlementIntents.Target.FULFILLED);

        assertEquals(1, repairs.repair());
        assertEquals(0, intents.size());
        assertEquals(Order.PLACED, store.find(order.id()).orElseThrow().status());
    }
}
