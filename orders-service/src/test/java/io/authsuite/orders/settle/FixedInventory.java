package io.authsuite.orders.settle;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP server in front of auth-service's token endpoint and inventory-service, over real HTTP: tokens are served,
 * and every other path gets the same fixed answer (a proxy's 404 page, inventory's own "no reservation").
 */
final class FixedInventory {

    private FixedInventory() {
    }

    static HttpServer answering(int status, String contentType, String body) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/oauth2/token", exchange -> answer(exchange, 200, "application/json",
                    "{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
            server.createContext("/", exchange -> answer(exchange, status, contentType, body));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings that point orders-service's inventory client and OIDC client at {@code server}. */
    static Map<String, String> config(HttpServer server) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.inventory.url", url, "quarkus.oidc-client.auth-server-url", url);
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
