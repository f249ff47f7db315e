package io.authsuite.orders.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.TestIssuer;
import io.authsuite.testing.TokenRefusingPeer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * inventory-service answers every reservation 403 (orders-service's registration lacks the scope): the same call again
 * would be refused again, so each order makes one call and is answered 503.
 */
@QuarkusTest
@TestProfile(InventoryRefusesCallerTest.ForbiddingPeer.class)
class InventoryRefusesCallerTest {

    public static class ForbiddingPeer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(TokenRefusingPeer.at("/inventory/reservations", "{}", "quarkus.rest-client.inventory.url",
                    "refuse", "forbidden"));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    @Test
    void reserveWhenInventoryForbidsThenOneCallPerOrderAnd503() {
        circuits.resetAll();
        // Fewer than the circuit's request volume (10): every order reaches inventory-service.
        int orders = 6;
        for (int i = 0; i < orders; i++) {
            given().auth().oauth2(TestIssuer.token("forbidden-caller", "orders-service", "orders:write"))
                    .contentType("application/json").body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                    .post("/orders").then().statusCode(503).body("error", equalTo("inventory_unavailable"));
        }
        // Without abortOn: the call and its two retries, each.
        assertEquals(orders, TokenRefusingPeer.seen("quarkus.rest-client.inventory.url").getList("calledWith").size());
    }
}
