package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.NetworkLink;
import io.authsuite.testing.ServiceProcess;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis that stops answering without closing its connections (a stalled server, a congested link). The token
 * endpoint waits for Redis without blocking a thread, so nothing but its own deadline ends the wait: it must answer
 * 503 with Retry-After within {@code quarkus.redis.timeout}, not hold the request for ever, and serve again once Redis
 * answers.
 */
@FaultSuite
class RedisUnansweredIT {

    private static NetworkLink link;
    private static ServiceProcess auth;
    private static NetworkLink ordersLink;
    private static ServiceProcess orders;
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
        int redisPort = URI.create(suite.environmentOf("auth-service").get("REDIS_URL")).getPort();
        link = NetworkLink.to(redisPort);
        auth = suite.startReplica("auth-service", "unanswered",
                Map.of("REDIS_URL", "redis://127.0.0.1:" + link.port(), "QUARKUS_REDIS_TIMEOUT", "2s"));
        URI ordersRedis = URI.create(suite.environmentOf("orders-service").get("REDIS_URL"));
        ordersLink = NetworkLink.to(ordersRedis.getPort());
        orders = suite.startReplica("orders-service", "unanswered", Map.of("REDIS_URL",
                ordersRedis.getScheme() + "://127.0.0.1:" + ordersLink.port(), "QUARKUS_REDIS_TIMEOUT", "2s"));
    }

    @AfterAll
    static void stop() {
        if (auth != null) {
            auth.close();
        }
        if (link != null) {
            link.close();
        }
        if (orders != null) {
            orders.close();
        }
        if (ordersLink != null) {
            ordersLink.close();
        }
    }

    /** A client that gives up after 15 s, so that a server that never answers fails the test instead of hanging it. */
    private static io.restassured.specification.RequestSpecification patient(String token) {
        return patient().auth().oauth2(token);
    }

    /** As a browser sends it: the query as written (already encoded), redirects not followed. */
    private static io.restassured.specification.RequestSpecification browser() {
        return patient().urlEncodingEnabled(false).redirects().follow(false);
    }

    private static io.restassured.specification.RequestSpecification patient() {
        return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 15_000)));
    }

    @Test
    void ordersWhenRedisStopsAnsweringThen503WithRetryAfterWithinRedisTimeoutThenServesAgain() {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String order = "{\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1}]}";
        String id = patient(token).contentType("application/json").body(order).post(orders.url() + "/orders")
                .then().statusCode(201).extract().path("id");

        ordersLink.holdBack();
        try {
            // The reactive Redis client has no deadline of its own: each call is bounded by quarkus.redis.timeout.
            long started = System.nanoTime();
            Response read = patient(token).get(orders.url() + "/orders/" + id);
            long readMs = (System.nanoTime() - started) / 1_000_000;
            read.then().statusCode(503).header("Retry-After", notNullValue())
                    .body("error", equalTo("storage_unavailable"));
            assertTrue(readMs >= 1_500 && readMs < 8_000, "GET answered after " + readMs + " ms, timeout 2 s");

            started = System.nanoTime();
            Response placed = patient(token).contentType("application/json").body(order).post(orders.url() + "/orders");
            long placeMs = (System.nanoTime() - started) / 1_000_000;
            placed.then().statusCode(503).header("Retry-After", notNullValue())
                    .body("error", equalTo("storage_unavailable"));
            // The store, then taking back what it may have written: two deadlines.
            assertTrue(placeMs >= 1_500 && placeMs < 12_000, "POST answered after " + placeMs + " ms, timeout 2 s");
            System.out.printf("%norders-service with Redis unanswered: GET answered 503 after %d ms, POST after %d ms "
                    + "(quarkus.redis.timeout 2 s)%n", readMs, placeMs);
        } finally {
            ordersLink.release();
        }
        patient(token).get(orders.url() + "/orders/" + id).then().statusCode(200).body("id", equalTo(id));
    }

    private static Response clientCredentials(String secret) {
        // A client that gives up after 10 s, so that a server that never answers fails the test instead of hanging it.
        return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 10_000)))
                .auth().preemptive().basic("demo-cli", secret)
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "orders:read")
                .post(auth.url() + "/oauth2/token");
    }

    @Test
    void tokenWhenRedisStopsAnsweringThen503WithRetryAfterWithinRedisTimeoutThenServesAgain() throws Exception {
        clientCredentials("demo-cli-secret").then().statusCode(200).body("access_token", notNullValue());

        link.holdBack();
        long stalled = System.nanoTime();
        Response held;
        long waitedMs;
        try {
            // The right secret from an address without failures needs no Redis (FailureWatch) until the replica
            // notices that its feed went silent (2.5 s); from then on it waits for Redis like every other request.
            do {
                long started = System.nanoTime();
                held = clientCredentials("demo-cli-secret");
                waitedMs = (System.nanoTime() - started) / 1_000_000;
                if (held.statusCode() == 200) {
                    Thread.sleep(50);
                }
            } while (held.statusCode() == 200 && System.nanoTime() - stalled < 6_000_000_000L);
            held.then().statusCode(503).header("Retry-After", notNullValue())
                    .body("error", equalTo("temporarily_unavailable"));
            assertTrue(waitedMs >= 1_500 && waitedMs < 8_000, "answered after " + waitedMs + " ms, timeout 2 s");

            // A wrong secret always waits for Redis (its failure must be counted): 503, never a 401 that would
            // let guesses go uncounted while Redis is away.
            long started = System.nanoTime();
            clientCredentials("wrong-secret").then().statusCode(503).header("Retry-After", notNullValue())
                    .body("error", equalTo("temporarily_unavailable"));
            long wrongMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(wrongMs >= 1_500 && wrongMs < 8_000, "answered after " + wrongMs + " ms, timeout 2 s");
        } finally {
            link.release();
        }

        clientCredentials("demo-cli-secret").then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void singleUseGrantsWhenRedisHoldsTheirSpendPastTheTimeoutThen503WithoutRetryAfter() throws Exception {
        String refreshToken = suite.signIn("alice", "alice-password", "openid orders:read").getString("refresh_token");
        String code = suite.code("alice", "alice-password", "openid orders:read");
        // Redis takes the commands and holds every write (the operator's CLIENT PAUSE): the spends run once it ends,
        // after the token endpoint has given up waiting (quarkus.redis.timeout 2 s).
        long pausedUntil = System.nanoTime() + 7_000_000_000L;
        suite.redis.command("CLIENT", "PAUSE", "7000", "WRITE");
        Response refreshed = refresh(refreshToken);
        Response redeemed = redeem(code);
        for (Response held : List.of(refreshed, redeemed)) {
            held.then().statusCode(503).header("Retry-After", nullValue())
                    .body("error", equalTo("temporarily_unavailable"))
                    .body("error_description", containsString("start again"));
        }
        Thread.sleep(Math.max(0, (pausedUntil - System.nanoTime()) / 1_000_000 + 500));
        // Why no Retry-After: the code's redemption, left waiting on its pooled connection, ran when Redis went on, so
        // a retry is a replay (RFC 6749 §4.1.2). (The rotation went on the event loop's shared connection, which its
        // watchdog dropped with the command unrun: from outside, the two cannot be told apart.)
        redeem(code).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    private static Response refresh(String refreshToken) {
        return patient().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "web-app").formParam("refresh_token", refreshToken)
                .post(auth.url() + "/oauth2/token");
    }

    private static Response redeem(String code) {
        return patient().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("client_id", "web-app")
                .formParam("code", code).formParam("redirect_uri", "http://127.0.0.1:9999/callback")
                .formParam("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                .post(auth.url() + "/oauth2/token");
    }

    @Test
    void authorizeWhenRedisStopsAnsweringThenErrorPage503WithRetryAfterThenServesAgain() {
        String authorize = Suite.authorizeUrl(auth.url(), "openid");
        link.holdBack();
        try {
            // The request is kept in Redis before the browser is sent to the sign-in form: with Redis away, the
            // person gets the error page in HTML (not the API's JSON) and is told to try again.
            browser().get(authorize).then().log().ifValidationFails().statusCode(503)
                    .header("Retry-After", notNullValue()).header("Cache-Control", "no-store")
                    .contentType(startsWith("text/html")).body(containsString("temporarily_unavailable"))
                    .body(containsString("Try again"));
        } finally {
            link.release();
        }
        browser().get(authorize).then().log().ifValidationFails().statusCode(303)
                .header("Location", containsString("/login?request="));
    }
}
