package io.authsuite.orders.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.testing.TestIssuer;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** inventory-service is down here: the reserve circuit opens, orders get 503 at once, readiness says so. */
@QuarkusTest
class InventoryCircuitTest {

    private static final String RESERVE = "inventory-reserve";
    private static final String CHECK = "checks.find { it.name == 'inventory-service' }";

    @Inject
    CircuitBreakerMaintenance circuits;

    @AfterEach
    void closeCircuits() {
        circuits.resetAll();
    }

    private static io.restassured.response.ValidatableResponse place() {
        return given().auth().oauth2(TestIssuer.token("circuit-user", "orders-service", "orders:write"))
                .contentType("application/json").body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .post("/orders").then();
    }

    @Test
    void placeOrderWhenInventoryCircuitOpenThenServiceUnavailableWithRetryAfterAndNothingStored() {
        circuits.resetAll();
        long before = RedisTestResource.server().keyCount("orders:order:*");
        for (int i = 0; i < 10 && circuits.currentState(RESERVE) != CircuitBreakerState.OPEN; i++) {
            place().statusCode(503);
        }
        assertEquals(CircuitBreakerState.OPEN, circuits.currentState(RESERVE));
        given().get("/q/health/ready").then().statusCode(200)
                .body(CHECK + ".status", equalTo("UP"))
                .body(CHECK + ".data.'inventory-reserve'", equalTo("open"))
                .body(CHECK + ".data.'inventory-release'", equalTo("closed"));

        // With the circuit open the call is not even tried: the same 503 with Retry-After, and no order stored.
        place().statusCode(503).header("Retry-After", equalTo("5")).body("error", equalTo("inventory_unavailable"));
        assertEquals(before, RedisTestResource.server().keyCount("orders:order:*"));
    }

    @Test
    void personsOrderWhenAuthServiceUnreachableThenAuthUnavailableAndInventoryCircuitUntouched() {
        circuits.resetAll();
        // A person's token: the reservation needs it exchanged at auth-service, which is down here too.
        String person = TestIssuer.sign(TestIssuer.claims("person-1", "orders-service", "orders:write")
                .claim("client_id", "web-app"));
        for (int i = 0; i < 12; i++) {
            given().auth().oauth2(person).contentType("application/json")
                    .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}").post("/orders").then()
                    .statusCode(503).contentType("application/problem+json").header("Retry-After", equalTo("5"))
                    .body("error", equalTo("auth_unavailable"));
        }
        // The failed exchanges said nothing about inventory-service: its circuit stays closed for everyone else.
        assertEquals(CircuitBreakerState.CLOSED, circuits.currentState(RESERVE));
    }
}
