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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * inventory-service refuses every service token orders-service brings (it does not know the client, or expects another
 * audience): orders-service fetches one new token after the first refusal, then waits before the next (backing off),
 * rather than asking auth-service for a token per call; the order gets a 503 problem.
 */
@QuarkusTest
@TestProfile(ServiceTokenRefusedEveryTimeTest.RefusingPeer.class)
class ServiceTokenRefusedEveryTimeTest {

    /** A peer that refuses every token; the back-off's ceiling is {@link #backoffMax()}. */
    public static class RefusingPeer implements QuarkusTestProfile {
        /** A first wait of a minute: longer than the test, however slow the machine is. */
        protected String backoffMax() {
            return "PT10M";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authsuite.service-tokens.forced-fetch-backoff-max", backoffMax());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(TokenRefusingPeer.at("/inventory/reservations", "{}", "quarkus.rest-client.inventory.url",
                    "refuse", "every"));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    static void placeOrderRefused() {
        given().auth().oauth2(TestIssuer.token("token-refused-user", "orders-service", "orders:write"))
                .contentType("application/json").body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .post("/orders").then().statusCode(503).body("status", equalTo(503));
    }

    @Test
    void reserveWhenInventoryRefusesEveryServiceTokenThenOneForcedFetchThenBackOffAnd503() {
        circuits.resetAll();
        placeOrderRefused();
        var seen = TokenRefusingPeer.seen("quarkus.rest-client.inventory.url");
        assertEquals(2, seen.getInt("tokensIssued"), "the cached token, then one forced fetch");
        assertEquals(List.of("Bearer svc-1", "Bearer svc-2", "Bearer svc-2"), seen.getList("calledWith"),
                "the call and its two retries");

        circuits.resetAll();
        placeOrderRefused();
        assertEquals(2, TokenRefusingPeer.seen("quarkus.rest-client.inventory.url").getInt("tokensIssued"),
                "no fetch per call while the wait lasts");
    }
}
