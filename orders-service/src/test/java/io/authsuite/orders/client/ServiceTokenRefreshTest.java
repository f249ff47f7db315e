package io.authsuite.orders.client;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.TestIssuer;
import io.authsuite.testing.TokenRefusingPeer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * inventory-service refuses orders-service's cached service token (as it does once the key that signed it is retired):
 * the next call fetches a new one from auth-service, the retried reservation goes through with it, and later calls
 * keep using it.
 */
@QuarkusTest
@TestProfile(ServiceTokenRefreshTest.Peers.class)
class ServiceTokenRefreshTest {

    public static class Peers implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(TokenRefusingPeer.at("/inventory/reservations", TokenRefusingPeer.HELD_RESERVATION,
                    "quarkus.rest-client.inventory.url"));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    private static void placeOrder() {
        given().auth().oauth2(TestIssuer.token("token-refresh-user", "orders-service", "orders:write"))
                .contentType("application/json").body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .post("/orders").then().statusCode(201);
    }

    private static JsonPath seen() {
        return TokenRefusingPeer.seen("quarkus.rest-client.inventory.url");
    }

    @Test
    void reserveWhenInventoryRefusesTheServiceTokenThenTheRetryFetchesANewOneAndLaterCallsKeepIt() {
        circuits.resetAll();
        placeOrder();
        assertEquals(List.of("Bearer svc-1", "Bearer svc-2"), seen().getList("calledWith"),
                "refused with the first token, retried with a new one");
        assertEquals(2, seen().getInt("tokensIssued"));

        placeOrder();
        assertEquals(List.of("Bearer svc-1", "Bearer svc-2", "Bearer svc-2"), seen().getList("calledWith"));
        assertEquals(2, seen().getInt("tokensIssued"), "the new token is cached, not fetched per call");
    }
}
