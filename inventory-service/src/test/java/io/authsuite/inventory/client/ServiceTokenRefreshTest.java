package io.authsuite.inventory.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.TokenRefusingPeer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * orders-service refuses inventory-service's cached service token on the blocking client (as it does once the key that
 * signed it is retired): the retried call carries a new token from auth-service, and later calls keep it.
 */
@QuarkusTest
@TestProfile(ServiceTokenRefreshTest.Peers.class)
class ServiceTokenRefreshTest {

    public static class Peers implements QuarkusTestProfile {
        /** Other tests leave discontinued skus pending in Redis: the notifier's schedule must not send them here. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(TokenRefusingPeer.at("/orders/cancellations", "{\"cancelled\":3}",
                    "quarkus.rest-client.orders.url"));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    @Inject
    OrdersClient orders;

    private static JsonPath seen() {
        return TokenRefusingPeer.seen("quarkus.rest-client.orders.url");
    }

    @Test
    void cancellationsWhenOrdersRefusesTheServiceTokenThenTheRetryFetchesANewOneAndLaterCallsKeepIt() {
        circuits.resetAll();
        assertEquals(3, orders.cancelOpenOrdersWith("TOKEN-REFRESH-1"));
        assertEquals(List.of("Bearer svc-1", "Bearer svc-2"), seen().getList("calledWith"),
                "refused with the first token, retried with a new one");

        assertEquals(3, orders.cancelOpenOrdersWith("TOKEN-REFRESH-2"));
        assertEquals(List.of("Bearer svc-1", "Bearer svc-2", "Bearer svc-2"), seen().getList("calledWith"));
        assertEquals(2, seen().getInt("tokensIssued"), "the new token is cached, not fetched per call");
    }
}
