package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisSentinels;
import io.authsuite.testing.RedisServer;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The three services behind Sentinels whose primary freezes (SIGSTOP) instead of dying: a node that hangs or is cut
 * off by a partition closes no connection, so nothing tells a client that its connections lead nowhere. The Sentinels
 * promote a replica; the services must move their writes to it while the old primary stays frozen, not wait on it
 * for as long as TCP keeps trying.
 */
@Order(Integer.MAX_VALUE - 3)
class SentinelFrozenPrimaryIT {

    private static RedisSentinels redis;
    private static Suite suite;
    private static RedisServer frozen;

    @BeforeAll
    static void start() {
        redis = RedisSentinels.start();
        suite = Suite.startPrivate(redis, Suite.UNLIMITED_TOKENS);
    }

    @AfterAll
    static void stop() {
        if (frozen != null) {
            frozen.thaw();
        }
        if (suite != null) {
            suite.close();
        }
    }

    private static Response order(String token, String line) {
        return given().auth().oauth2(token).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders");
    }

    private static Response refresh(String refreshToken) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "web-app").formParam("refresh_token", refreshToken)
                .post(suite.auth.url() + "/oauth2/token");
    }

    /** Seconds from {@code since} until {@code call} answers {@code status} {@code times} times in a row, or -1. */
    private static double secondsUntil(long since, int status, int times, Supplier<Response> call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int inARow = 0;
        while (System.nanoTime() < deadline) {
            int answered = call.get().statusCode();
            inARow = answered == status ? inARow + 1 : 0;
            if (inARow == times) {
                return (System.nanoTime() - since) / 1e9;
            }
            if (answered != status) {
                Thread.sleep(200);
            }
        }
        return -1;
    }

    @Test
    void primaryFrozenThenOrdersAndRefreshesGoToThePromotedReplicaWhileItStaysFrozen() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("FROZEN", 1_000_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        // Enough requests that every event loop of each service holds its shared connection to the primary.
        for (int i = 0; i < 20; i++) {
            order(token, line).then().statusCode(201);
        }
        String refreshToken = suite.signIn("alice", "alice-password", "openid orders:read").getString("refresh_token");
        refreshToken = refresh(refreshToken).then().statusCode(200).extract().path("refresh_token");

        frozen = redis.freezePrimaryAndAwaitFailover(Duration.ofSeconds(30));
        long promoted = System.nanoTime();
        double orders = secondsUntil(promoted, 201, 10, () -> order(token, line));
        // A refresh that timed out on the frozen primary never ran there, so the same token is presented again.
        String presented = refreshToken;
        double refreshes = secondsUntil(promoted, 200, 1, () -> refresh(presented));
        System.out.printf("%nSentinel primary frozen: after the promotion, orders stored again (10 in a row) after %.1f s, "
                + "a refresh rotated after %.1f s, the old primary still frozen%n", orders, refreshes);
        assertTrue(orders >= 0, "orders went on waiting for the frozen primary");
        assertTrue(refreshes >= 0, "refreshes went on waiting for the frozen primary");
    }
}
