package io.authsuite.orders.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * inventory-service refuses every service token, and the wait before the next forced fetch is short (a tenth of
 * {@code forced-fetch-backoff-max}, here 100 ms): after a quiet spell of twice the longest wait, the next refusal
 * forces a fetch at once again, so a refusal that has a cure (a key change that reached every auth replica) still
 * gets it.
 */
@QuarkusTest
@TestProfile(ServiceTokenFetchesResumeTest.RefusingPeer.class)
class ServiceTokenFetchesResumeTest {

    public static class RefusingPeer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authsuite.service-tokens.forced-fetch-backoff-max", "PT1S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TokenRefusingPeer.class, Map.of(
                    "path", "/inventory/reservations",
                    "answer", "{}",
                    "refuse", "every",
                    "url-property", "quarkus.rest-client.inventory.url")));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    private static void placeOrderRefused() {
        given().auth().oauth2(TestIssuer.token("token-refused-user", "orders-service", "orders:write"))
                .contentType("application/json").body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .post("/orders").then().statusCode(503).body("status", equalTo(503));
    }

    @Test
    void reserveWhenEveryTokenRefusedThenForcedFetchesResumeAfterAQuietSpell() throws InterruptedException {
        circuits.resetAll();
        placeOrderRefused();
        int afterFirst = TokenRefusingPeer.seen("quarkus.rest-client.inventory.url").getInt("tokensIssued");
        assertTrue(afterFirst >= 2 && afterFirst <= 3, "at most one fetch per call: " + afterFirst);

        Thread.sleep(2_100); // more than twice forced-fetch-backoff-max
        circuits.resetAll();
        placeOrderRefused();
        int afterSecond = TokenRefusingPeer.seen("quarkus.rest-client.inventory.url").getInt("tokensIssued");
        assertTrue(afterSecond > afterFirst, "the refusal after the quiet spell forced a fetch: " + afterSecond);
    }
}
