package io.authsuite.testing;

import static io.restassured.RestAssured.given;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The other two services, as seen by one service's REST client, over real HTTP: auth-service's token endpoint, which
 * numbers the tokens it issues ({@code svc-1}, {@code svc-2}, …), and the called service, which refuses {@code svc-1}
 * with 401 at {@code path} (as it does once the key that signed it is retired) and answers {@code answer} to any other
 * token. Order ids in the request body replace {@code {id}} in the answer. Reservation confirmations (a path below
 * {@code path} ending in {@code /confirmations}) are confirmed for every order id. The test reads what the peer saw at
 * {@code /seen} ({@link #seen}): Quarkus loads a test class again for the test itself, so statics would not do.
 *
 * <p>Init args: {@code path}, {@code answer}, {@code url-property} (the REST client's URL setting to point here), and
 * optionally {@code refuse}: {@code first} (the default, {@code svc-1} only) or {@code every} token with 401, as a
 * service does that does not know the calling client, or {@code forbidden}: every call with 403
 * {@code insufficient_scope}, as a service does whose scope the caller's registration lacks, or {@code conflict}: every
 * call to {@code path} with a 409 that is not the service's own (no {@code error} code), as a gateway may answer; and
 * {@code exchange}
 * {@code true} to take orders-service's token exchanges too (they get the same numbered tokens).
 */
public class TokenRefusingPeer implements QuarkusTestResourceLifecycleManager {

    /** What inventory-service answers a reservation it holds; {@code {id}} becomes the order id. */
    public static final String HELD_RESERVATION = "{\"orderId\":\"{id}\",\"lines\":[{\"sku\":\"BOOK-001\","
            + "\"quantity\":1}],\"status\":\"held\",\"expiresAt\":4102444800}";

    /**
     * A test profile's entry for a peer at {@code path} behind the REST client setting {@code urlProperty}, answering
     * {@code answer}; {@code more} adds init args as name, value pairs ({@code "refuse", "every"}).
     */
    public static QuarkusTestProfile.TestResourceEntry at(String path, String answer, String urlProperty,
                                                          String... more) {
        Map<String, String> args = new java.util.HashMap<>(Map.of("path", path, "answer", answer,
                "url-property", urlProperty));
        for (int i = 0; i + 1 < more.length; i += 2) {
            args.put(more[i], more[i + 1]);
        }
        return new QuarkusTestProfile.TestResourceEntry(TokenRefusingPeer.class, args);
    }

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final AtomicInteger tokensIssued = new AtomicInteger();
    /** The Authorization header of every call to {@code path} itself, in order. */
    private final List<String> calledWith = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;
    private String path;
    private String answer;
    private String urlProperty;
    private boolean refuseEvery;
    private boolean forbidden;
    private boolean conflict;
    private boolean takeExchanges;

    @Override
    public void init(Map<String, String> initArgs) {
        path = initArgs.get("path");
        answer = initArgs.get("answer");
        urlProperty = initArgs.get("url-property");
        refuseEvery = "every".equals(initArgs.get("refuse"));
        forbidden = "forbidden".equals(initArgs.get("refuse"));
        conflict = "conflict".equals(initArgs.get("refuse"));
        takeExchanges = "true".equals(initArgs.get("exchange"));
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/oauth2/token", exchange -> answer(exchange, 200, "{\"access_token\":\"svc-"
                + tokensIssued.incrementAndGet() + "\",\"token_type\":\"Bearer\",\"expires_in\":900}"));
        server.createContext(path, this::called);
        server.createContext("/seen", exchange -> answer(exchange, 200, "{\"tokensIssued\":" + tokensIssued.get()
                + ",\"calledWith\":" + calledWith.stream().map(a -> "\"" + a + "\"")
                .collect(Collectors.joining(",", "[", "]")) + "}"));
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return takeExchanges ? Map.of("quarkus.oidc-client.auth-server-url", url, urlProperty, url,
                "quarkus.oidc-client.exchange.auth-server-url", url)
                : Map.of("quarkus.oidc-client.auth-server-url", url, urlProperty, url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void called(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<String> ids = ID.matcher(body).results().map(MatchResult::group).toList();
        if (exchange.getRequestURI().getPath().endsWith("/confirmations")) {
            answer(exchange, 200, ids.stream().map(id -> "{\"orderId\":\"" + id
                    + "\",\"outcome\":\"confirmed\",\"status\":\"held\"}")
                    .collect(Collectors.joining(",", "{\"results\":[", "]}")));
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (exchange.getRequestURI().getPath().equals(path)) {
            calledWith.add(authorization);
        }
        if (conflict && exchange.getRequestURI().getPath().equals(path)) {
            answer(exchange, 409, "{\"status\":409,\"title\":\"Conflict\"}");
            return;
        }
        if (forbidden) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
            answer(exchange, 403, "{\"status\":403,\"title\":\"Forbidden\",\"error\":\"insufficient_scope\"}");
            return;
        }
        if (refuseEvery || "Bearer svc-1".equals(authorization)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            answer(exchange, 401, "{\"status\":401,\"title\":\"Unauthorized\",\"code\":\"TOKEN_INVALID\"}");
            return;
        }
        answer(exchange, 200, answer.replace("{id}", ids.isEmpty() ? "" : ids.get(0)));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** What the peer behind the REST client setting {@code urlProperty} saw: {@code tokensIssued}, {@code calledWith}. */
    public static JsonPath seen(String urlProperty) {
        return given().baseUri(ConfigProvider.getConfig().getValue(urlProperty, String.class))
                .get("/seen").then().statusCode(200).extract().jsonPath();
    }
}
