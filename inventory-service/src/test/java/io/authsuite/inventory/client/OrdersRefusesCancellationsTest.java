package io.authsuite.inventory.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.authsuite.testing.TokenRefusingPeer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * orders-service answers the cancellations and refuses them (403 here; 409 {@code cancellation_in_progress} is the same
 * case): asking again at once gets the same answer, so each call is made once, and the circuit stays closed for the
 * notifier's next round.
 */
@QuarkusTest
@TestProfile(OrdersRefusesCancellationsTest.ForbiddingOrders.class)
class OrdersRefusesCancellationsTest {

    public static class ForbiddingOrders implements QuarkusTestProfile {
        /** Other tests leave discontinued skus pending in Redis: the notifier's schedule must not send them here. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(TokenRefusingPeer.at("/orders/cancellations", "{\"cancelled\":0}",
                    "quarkus.rest-client.orders.url", "refuse", "forbidden"));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    @Inject
    OrdersClient orders;

    @Test
    void cancellationsWhenOrdersRefusesThenNotRetriedAndCircuitClosed() {
        circuits.resetAll();
        int calls = 12;
        for (int i = 0; i < calls; i++) {
            assertThrows(OrdersClient.OrdersRefusedException.class, () -> orders.cancelOpenOrdersWith("REFUSED-1"));
        }
        assertEquals(calls, TokenRefusingPeer.seen("quarkus.rest-client.orders.url").getList("calledWith").size(),
                "one call each: no retry, and the circuit never opened");
        assertEquals(CircuitBreakerState.CLOSED, circuits.currentState(OrdersClient.CIRCUIT));
    }
}
