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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
        private static final HttpServer PROXY = start();

        private static HttpServer start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/oauth2/token", exchange -> answer(exchange, 200, "application/json",
                        "{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
                server.createContext("/", exchange -> answer(exchange, 404, "text/html",
                        "<html><body>404 Not Found</body></html>"));
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
                throws IOException {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "http://127.0.0.1:" + PROXY.getAddress().getPort();
            return Map.of("quarkus.rest-client.inventory.url", url, "quarkus.oidc-client.auth-server-url", url);
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
