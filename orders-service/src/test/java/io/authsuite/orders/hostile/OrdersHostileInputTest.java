package io.authsuite.orders.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.HostileTokens;
import io.authsuite.testing.TestIssuer;
import io.authsuite.testing.HostileCases;
import io.authsuite.testing.HostileCases.Case;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at orders-service: refused bearer tokens, hostile JSON bodies, paths, queries and headers. Each case
 * pins its exact status; none may be a 5xx other than inventory's absence (not reached by any case here).
 */
@QuarkusTest
class OrdersHostileInputTest {

    private static final String AUD = "orders-service";

    @TestHTTPResource("/")
    URI base;

    private HttpRequest.Builder at(String path, String token) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    }

    private HttpRequest post(String token, String body) {
        return at("orders", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void bodyAnnouncedTooLargeThenProblemAndConnectionClosed() throws Exception {
        String answer = io.authsuite.testing.HostileCases.answerThenClosed(base, "POST /orders HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 99999999\r\n\r\n");
        org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        org.junit.jupiter.api.Assertions.assertTrue(answer.contains("application/problem+json")
                && answer.contains("\"status\":413"), answer);
    }

    @Test
    void methodNotAllowedThenProblemWithAllowListingTheMethodsOfThatPath() throws Exception {
        String writer = TestIssuer.sign(TestIssuer.claims("hostile-user", AUD, "orders:read", "orders:write")
                .claim("client_id", "web-app").groups("user"));
        var client = java.net.http.HttpClient.newHttpClient();
        // RFC 9110 §15.5.6: a 405 MUST carry Allow, with the methods of that resource, not of the service.
        Map<String, String> allowed = Map.of(
                "orders", "GET, HEAD, OPTIONS, POST",
                "orders/00000000-0000-0000-0000-000000000000", "DELETE, GET, HEAD, OPTIONS",
                "orders/00000000-0000-0000-0000-000000000000/cancel", "OPTIONS, POST");
        for (var entry : allowed.entrySet()) {
            var answer = client.send(at(entry.getKey(), writer).PUT(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(405, answer.statusCode(), entry.getKey());
            assertEquals(entry.getValue(), answer.headers().firstValue("Allow").orElse(null), entry.getKey());
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    && answer.body().contains("\"status\":405"), answer.body());
        }
    }

    @Test
    void hostileInputsThenExactStatusesAndNoServerError() throws Exception {
        String writer = TestIssuer.sign(TestIssuer.claims("hostile-user", AUD, "orders:read", "orders:write")
                .claim("client_id", "web-app").groups("user"));
        List<Case> cases = new ArrayList<>();
        HostileTokens.refused(AUD, "orders:read", "orders:write").forEach((name, token) -> {
            cases.add(new Case("GET /orders with " + name, 401, at("orders", token).GET().build()));
            cases.add(new Case("POST /orders with " + name, 401, post(token, "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")));
        });
        cases.add(new Case("100 KB bearer token", 431, at("orders", "a".repeat(100_000)).GET().build()));

        Map<String, String> bodies = new TreeMap<>();
        bodies.put("deep nesting", "[".repeat(5000) + "]".repeat(5000));
        bodies.put("deep object", "{\"lines\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001));
        bodies.put("huge quantity", "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":" + "9".repeat(400) + "}]}");
        bodies.put("fractional quantity", "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1.5}]}");
        bodies.put("quantity as text", "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":\"2\"}]}");
        bodies.put("sku as number", "{\"lines\":[{\"sku\":42,\"quantity\":1}]}");
        bodies.put("lines as object", "{\"lines\":{\"sku\":\"BOOK-001\"}}");
        bodies.put("null line", "{\"lines\":[null]}");
        bodies.put("no lines", "{}");
        bodies.put("negative quantity", "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":-1}]}");
        bodies.put("sku traversal", "{\"lines\":[{\"sku\":\"../../etc\",\"quantity\":1}]}");
        bodies.put("sku with control chars", "{\"lines\":[{\"sku\":\"A\\u0000B\",\"quantity\":1}]}");
        bodies.put("duplicate keys", "{\"lines\":[{\"sku\":\"BOOK-001\",\"sku\":\"X\",\"quantity\":1}]}");
        bodies.put("truncated", "{\"lines\":[{\"sku\":");
        bodies.put("trailing document", "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}{\"lines\":[]}");
        bodies.put("not JSON", "lines=1");
        bodies.put("empty", "");
        bodies.put("top-level array", "[]");
        bodies.put("top-level string", "\"x\"");
        StringBuilder many = new StringBuilder("{\"lines\":[");
        for (int i = 0; i < 5000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"sku\":\"S").append(i).append("\",\"quantity\":1}");
        }
        bodies.put("5000 lines", many.append("]}").toString());
        bodies.forEach((name, body) -> cases.add(new Case("POST /orders body " + name, 400, post(writer, body))));
        cases.add(new Case("POST /orders 2 MB body", 413, post(writer, "{\"lines\":[],\"x\":\"" + "a".repeat(2 << 20) + "\"}")));
        cases.add(new Case("POST /orders text/plain", 415, at("orders", writer).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
        cases.add(new Case("POST /orders hostile Idempotency-Key", 400, at("orders", writer)
                .header("Content-Type", "application/json").header("Idempotency-Key", "x".repeat(500))
                .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")).build()));

        Map<String, Integer> paths = new TreeMap<>();
        paths.put("orders/not-an-id", 400);
        paths.put("orders/..%2F..%2Fetc%2Fpasswd", 400);
        paths.put("orders/" + "a".repeat(5000), 414);
        paths.put("orders/00000000-0000-0000-0000-000000000000", 404);
        paths.put("orders?offset=-1", 400);
        paths.put("orders?limit=1000000000000", 400);
        paths.put("orders?limit=abc", 400);
        paths.put("orders?offset=1e3", 400);
        paths.forEach((path, status) -> cases.add(new Case("GET " + path, status, at(path, writer).GET().build())));
        cases.add(new Case("cancel another id shape", 400, at("orders/%00/cancel", writer)
                .POST(HttpRequest.BodyPublishers.noBody()).build()));

        assertTrue(cases.size() >= 60, cases.size() + " cases");
        assertEquals(Map.of(), HostileCases.mismatches(cases, HostileCases::problem));
    }
}
