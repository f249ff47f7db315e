package io.authsuite.orders.client;

import static io.authsuite.orders.client.ServiceTokenRefusedEveryTimeTest.placeOrderRefused;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.TokenRefusingPeer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * inventory-service refuses every service token, and the wait before the next forced fetch is short (a tenth of
 * {@code forced-fetch-backoff-max}, here 100 ms): after a quiet spell of twice the longest wait, the next refusal
 * forces a fetch at once again, so a refusal that has a cure (a key change that reached every auth replica) still
 * gets it.
 */
@QuarkusTest
@TestProfile(ServiceTokenFetchesResumeTest.ShortBackoff.class)
class ServiceTokenFetchesResumeTest {

    public static class ShortBackoff extends ServiceTokenRefusedEveryTimeTest.RefusingPeer {
        @Override
        protected String backoffMax() {
            return "PT1S";
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    private static int tokensIssued() {
        return TokenRefusingPeer.seen("quarkus.rest-client.inventory.url").getInt("tokensIssued");
    }

    @Test
    void reserveWhenEveryTokenRefusedThenForcedFetchesResumeAfterAQuietSpell() throws InterruptedException {
        circuits.resetAll();
        placeOrderRefused();
        assertTrue(tokensIssued() >= 2, "the first refusal forced a fetch");

        // Quiet for more than twice forced-fetch-backoff-max, counted from the last refused call: the order's give-up
        // release (refused too, with its retries) ends within about a second of the order's answer.
        Thread.sleep(3_500);
        int beforeSecond = tokensIssued();
        circuits.resetAll();
        placeOrderRefused();
        assertTrue(tokensIssued() > beforeSecond, "the refusal after the quiet spell forced a fetch");
    }
}
