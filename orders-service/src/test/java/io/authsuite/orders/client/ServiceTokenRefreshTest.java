package io.authsuite.orders.client;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * inventory-service refuses orders-service's cached service token (as it does once the key that signed it is retired):
 * the next call fetches a new one from auth-service, the retried reservation goes through with it, and later calls
 * keep using it. Both peers are one small HTTP server here: a token endpoint that numbers its tokens, and an
 * inventory that refuses the first.
 */
@QuarkusTest
@TestProfile(ServiceTokenRefreshTest.Peers.class)
class ServiceTokenRefreshTest {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final HttpServer PEERS;
    private static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
    /** The Authorization header of every reservation inventory was asked for, in order. */
    private static final List<String> RESERVED_WITH = Collections.synchronizedList(new ArrayList<>());

    static {
        try {
            PEERS = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PEERS.createContext("/oauth2/token", exchange -> answer(exchange, 200, "{\"access_token\":\"svc-"
                + TOKENS_ISSUED.incrementAndGet() + "\",\"token_type\":\"Bearer\",\"expires_in\":900}"));
        PEERS.createContext("/inventory/reservations", ServiceTokenRefreshTest::inventory);
        // What the peers saw, asked over HTTP: Quarkus loads this class again for the test itself, with statics of its
        // own, while the service talks to the server the test profile's copy started.
        PEERS.createContext("/seen", exchange -> answer(exchange, 200, "{\"tokensIssued\":" + TOKENS_ISSUED.get()
                + ",\"reservedWith\":[" + String.join(",", RESERVED_WITH.stream().map(a -> "\"" + a + "\"").toList())
                + "]}"));
        PEERS.start();
    }

    public static class Peers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "http://127.0.0.1:" + PEERS.getAddress().getPort();
            return Map.of("quarkus.oidc-client.auth-server-url", url, "quarkus.rest-client.inventory.url", url);
        }
    }

    private static void inventory(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        List<String> ids = ID.matcher(body).results().map(MatchResult::group).toList();
        if (exchange.getRequestURI().getPath().endsWith("/confirmations")) {
            answer(exchange, 200, ids.stream().map(id -> "{\"orderId\":\"" + id
                    + "\",\"outcome\":\"confirmed\",\"status\":\"held\"}")
                    .collect(Collectors.joining(",", "{\"results\":[", "]}")));
            return;
        }
        RESERVED_WITH.add(authorization);
        if ("Bearer svc-1".equals(authorization)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            answer(exchange, 401, "{\"status\":401,\"title\":\"Unauthorized\",\"code\":\"TOKEN_INVALID\"}");
            return;
        }
        answer(exchange, 201, "{\"orderId\":\"" + ids.get(0) + "\",\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}],"
                + "\"status\":\"held\",\"expiresAt\":" + (Instant.now().getEpochSecond() + 300) + "}");
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Inject
    CircuitBreakerMaintenance circuits;

    private static void placeOrder() {
        given().auth().oauth2(TestIssuer.token("token-refresh-user", "orders-service", "orders:write"))
                .contentType("application/json").body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .post("/orders").then().statusCode(201);
    }

    /** What the peers the service talks to have seen. */
    private static JsonPath seen() {
        return given().baseUri(ConfigProvider.getConfig().getValue("quarkus.rest-client.inventory.url", String.class))
                .get("/seen").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void reserveWhenInventoryRefusesTheServiceTokenThenTheRetryFetchesANewOneAndLaterCallsKeepIt() {
        circuits.resetAll();
        placeOrder();
        assertEquals(List.of("Bearer svc-1", "Bearer svc-2"), seen().getList("reservedWith"),
                "refused with the first token, retried with a new one");
        assertEquals(2, seen().getInt("tokensIssued"));

        placeOrder();
        List<String> reservedWith = seen().getList("reservedWith");
        assertEquals(List.of("Bearer svc-1", "Bearer svc-2", "Bearer svc-2"), reservedWith);
        assertEquals(2, seen().getInt("tokensIssued"), "the new token is cached, not fetched per call");
    }
}
