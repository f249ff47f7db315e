package io.authsuite.orders.client;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.authsuite.testing.TestIssuer;
import io.authsuite.testing.TokenRefusingPeer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * inventory-service refuses the token orders-service obtained for a person by exchange (say, orders-service's client
 * was disabled and enabled again since): the order is answered 503 without retrying the same token, the token is not
 * kept, and the person's next order exchanges again and goes through.
 */
@QuarkusTest
@TestProfile(OnBehalfTokenRefusedTest.PeerRefusingFirstToken.class)
class OnBehalfTokenRefusedTest {

    public static class PeerRefusingFirstToken implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(TokenRefusingPeer.at("/inventory/reservations", TokenRefusingPeer.HELD_RESERVATION,
                    "quarkus.rest-client.inventory.url", "exchange", "true"));
        }
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    @Test
    void reserveWhenExchangedTokenRefusedThenNotRetriedNorKeptAndNextOrderExchangesAgain() {
        circuits.resetAll();
        String person = TestIssuer.sign(TestIssuer.claims("person-refused", "orders-service", "orders:write")
                .claim("client_id", "web-app"));
        String order = "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}";
        given().auth().oauth2(person).contentType("application/json").body(order).post("/orders").then()
                .statusCode(503);
        given().auth().oauth2(person).contentType("application/json").body(order).post("/orders").then()
                .statusCode(201);
        List<String> called = TokenRefusingPeer.seen("quarkus.rest-client.inventory.url").getList("calledWith");
        // The peer numbers every token it issues, the service token of the release after the refusal included.
        assertEquals(2, called.size(), "the refused token once, not retried: " + called);
        assertEquals("Bearer svc-1", called.get(0));
        assertNotEquals(called.get(0), called.get(1), "the next order brings a new exchange, not the refused token");
        assertEquals(CircuitBreakerState.CLOSED, circuits.currentState("inventory-reserve"));
    }
}
