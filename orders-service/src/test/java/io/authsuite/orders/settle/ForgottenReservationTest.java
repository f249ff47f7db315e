package io.authsuite.orders.settle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.testing.RedisTestResource;
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
 * inventory-service answers, as itself, that it does not know an order's reservation (its data lost since the order
 * was placed): a recorded fulfilment ends, leaving the order placed, as the live fulfilment does, instead of staying
 * recorded for ever and refusing every later change of the order with settlement_in_progress.
 */
@QuarkusTest
@TestProfile(ForgottenReservationTest.Forgetful.class)
class ForgottenReservationTest {

    public static class Forgetful implements QuarkusTestProfile {
        private static final HttpServer INVENTORY = start();

        private static HttpServer start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/oauth2/token", exchange -> answer(exchange, 200,
                        "{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
                server.createContext("/inventory", exchange -> answer(exchange, 404, "{\"status\":404,"
                        + "\"title\":\"Not Found\",\"detail\":\"no reservation for this order\","
                        + "\"error\":\"reservation_not_found\"}"));
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
                throws IOException {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "http://127.0.0.1:" + INVENTORY.getAddress().getPort();
            return Map.of("quarkus.rest-client.inventory.url", url, "quarkus.oidc-client.auth-server-url", url);
        }
    }

    @Inject
    OrderStore store;

    @Inject
    SettlementIntents intents;

    @Inject
    SettlementRepairs repairs;

    @Test
    void repairWhenInventoryDoesNotKnowTheReservationThenFulfilmentEndsAndOrderLeftPlaced() {
        RedisTestResource.server().command("DEL", SettlementRepairsTest.intentsKey());
        Order order = new Order(UUID.randomUUID().toString(), "f-1", Order.PLACED,
                List.of(new OrderLine("BOOK-001", 1)), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.save(order, null).await().indefinitely();
        store.confirmed(order.id());
        intents.begin(order.id(), SettlementIntents.Target.FULFILLED);

        assertEquals(1, repairs.repair());
        assertEquals(0, intents.size());
        assertEquals(Order.PLACED, store.find(order.id()).orElseThrow().status());
    }
}
