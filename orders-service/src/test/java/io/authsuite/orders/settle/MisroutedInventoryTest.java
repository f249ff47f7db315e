package io.authsuite.orders.settle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * inventory-service reached through a path that answers 404 to everything under {@code /inventory} (a proxy's route
 * gone missing, a rollout's mismatch), while the token endpoint still answers: a 404 that is not inventory's own
 * "no reservation" proves nothing about the stock.
 */
@QuarkusTest
@TestProfile(MisroutedInventoryTest.Misrouted.class)
class MisroutedInventoryTest {

    /** One HTTP server in front of both: tokens are served, every inventory path is a plain 404 page. */
    public static class Misrouted implements QuarkusTestProfile {
        private static final HttpServer PROXY = FixedInventory.answering(404, "text/html",
                "<html><body>404 Not Found</body></html>");

        @Override
        public Map<String, String> getConfigOverrides() {
            return FixedInventory.config(PROXY);
        }
    }

    @Inject
    OrderStore store;

    @Inject
    SettlementIntents intents;

    @Test
    void cancelWhenInventoryAnswersAPlain404ThenNotTakenAsNothingReservedAndTheCancellationStaysRecorded() {
        RedisTestResource.server().command("DEL", SettlementRepairsTest.intentsKey());
        Order order = new Order(UUID.randomUUID().toString(), "m-1", Order.PLACED,
                List.of(new OrderLine("BOOK-001", 1)), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.save(order, null).await().indefinitely();
        store.confirmed(order.id());
        String person = TestIssuer.sign(TestIssuer.claims("m-1", "orders-service", "orders:read", "orders:write")
                .claim("client_id", "web-app").groups("user"));

        given().auth().oauth2(person).post("/orders/" + order.id() + "/cancel").then().statusCode(503)
                .body("error", equalTo("inventory_unavailable"));
        // Stored as cancelled on that 404, the order's held stock would never have been given back.
        given().auth().oauth2(person).get("/orders/" + order.id()).then().body("status", equalTo("placed"));
        assertEquals(1, intents.size(), "the repair job gives the stock back once inventory answers for itself");
    }
}
