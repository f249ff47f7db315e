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
 * A reservation answered 409 without inventory's own error code (a gateway's answer, or one to a retry whose first
 * attempt timed out after reserving): it proves nothing about the stock, so it is retried and the order is answered
 * as inventory being unavailable, its possible hold released, not as inventory's refusal.
 */
@QuarkusTest
@TestProfile(InventoryGatewayConflictTest.ConflictingGateway.class)
class InventoryGatewayConflictTest {

    public static class ConflictingGateway implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(TokenRefusingPeer.at("/inventory/reservations", "{}", "quarkus.rest-client.inventory.url",
                    "refuse", "conflict"));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    @Test
    void reserveWhenA409IsNotInventorysOwnThenRetriedAndUnavailableNotRejected() {
        circuits.resetAll();
        // Fewer calls than the circuit's request volume (10): every attempt reaches the peer.
        int orders = 2;
        for (int i = 0; i < orders; i++) {
            given().auth().oauth2(TestIssuer.token("gateway-caller", "orders-service", "orders:write"))
                    .contentType("application/json").body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                    .post("/orders").then().statusCode(503).body("error", equalTo("inventory_unavailable"));
        }
        // The call and its two retries, each.
        assertEquals(orders * 3, TokenRefusingPeer.seen("quarkus.rest-client.inventory.url").getList("calledWith").size());
    }
}
