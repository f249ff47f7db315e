package io.authsuite.orders.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * auth-service takes the connection for a person's token exchange and never answers (a hung replica, a stalled
 * link): the order is answered 503 {@code auth_unavailable} once the exchange's own bound runs out, and inventory's
 * circuit is not charged for it.
 */
@QuarkusTest
@TestProfile(TokenExchangeTimeoutTest.HungAuthService.class)
class TokenExchangeTimeoutTest {

    /** A listening socket nobody accepts from: the kernel completes each connection, and no byte ever comes back. */
    private static final ServerSocket HUNG;

    static {
        try {
            HUNG = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class HungAuthService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.exchange.auth-server-url", "http://127.0.0.1:" + HUNG.getLocalPort());
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    @Test
    void personsOrderWhenAuthServiceNeverAnswersTheExchangeThenAuthUnavailable() {
        circuits.resetAll();
        String person = TestIssuer.sign(TestIssuer.claims("person-hung", "orders-service", "orders:write")
                .claim("client_id", "web-app"));
        // Without a bound of its own the exchange would wait for good; the client gives up after 20 s instead.
        RestAssuredConfig patient = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 20_000).setParam("http.connection.timeout", 5_000));
        for (int i = 0; i < 2; i++) {
            given().config(patient).auth().oauth2(person).contentType("application/json")
                    .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}").post("/orders").then()
                    .statusCode(503).contentType("application/problem+json").header("Retry-After", equalTo("5"))
                    .body("error", equalTo("auth_unavailable"));
        }
        assertEquals(CircuitBreakerState.CLOSED, circuits.currentState("inventory-reserve"));
    }
}
