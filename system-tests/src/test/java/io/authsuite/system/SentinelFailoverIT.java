package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisSentinels;
import java.time.Duration;
import java.util.List;
import io.authsuite.testing.RedisServer;
import io.restassured.response.Response;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The three services on a Redis behind Sentinels (a primary, two replicas, three Sentinels), configured the way a
 * deployment configures them (REDIS_URL lists the Sentinels; client type sentinel), a fresh deployment for each test.
 * Under a load of orders and token requests the primary is killed with SIGKILL: while the Sentinels promote a
 * replica, callers get 503 with Retry-After, never another 5xx, and afterwards every service works again without a
 * restart. Or the primary freezes (SIGSTOP), as a hung node or one cut off by a partition: it closes no connection,
 * so nothing tells a client that its connections lead nowhere, and the services must move on to the promoted replica
 * while it stays frozen, not wait on it for as long as TCP keeps trying.
 */
@Order(Integer.MAX_VALUE - 3)
@FaultSuite
class SentinelFailoverIT {

    private RedisSentinels redis;
    private Suite suite;
    private RedisServer frozen;

    @BeforeEach
    void start() {
        redis = RedisSentinels.start();
        suite = Suite.startPrivate(redis, Suite.UNLIMITED_TOKENS);
    }

    @AfterEach
    void stop() {
        if (frozen != null) {
            frozen.thaw();
        }
        if (suite != null) {
            suite.close();
        }
    }

    private String token() {
        return suite.demoCliToken("orders:read orders:write inventory:read");
    }

    @Test
    void primaryKilledUnderLoadThenOnly503WithRetryAfterAndEveryServiceRecoversWithoutRestart() throws Exception {
        String token = token();
        String sku = suite.newItem("FAILOVER", 1_000_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        suite.warmOrders(token, line, 20);
        Duration failover;
        long killedAt;
        long firstOrderAfter;
        FaultLoad load = new FaultLoad(FaultLoad.ordersAndTokens(suite, token, line), 2).rotating("refresh", suite,
                () -> suite.signIn("alice", "alice-password", "openid orders:read").getString("refresh_token"));
        try (load) {
            Thread.sleep(3000);
            killedAt = System.nanoTime();
            failover = redis.killPrimaryAndAwaitFailover(Duration.ofSeconds(30));
            // Recovery without a restart: orders succeed again within 30 s of the promotion.
            firstOrderAfter = load.awaitFirstAfter("order", 201, killedAt, Duration.ofSeconds(30));
        }
        long gapMs = firstOrderAfter < 0 ? -1 : (firstOrderAfter - load.lastBefore("order", 201, killedAt)) / 1_000_000;
        System.out.printf("%nSentinel failover under load: promotion seen by all Sentinels after %d ms; "
                + "no order stored for %d ms (from the last order stored before the kill to the first one sent after it); "
                + "answers: %s%n", failover.toMillis(), gapMs, load.counts());
        assertEquals(List.of(), load.wrong(), "only 503 with Retry-After while failing over");
        // A rotation answered 200 waited for a replica (DurableWrites): its token works on the new primary.
        String rotated = load.acknowledgedRefreshToken("refresh");
        assertNotNull(rotated, "no refresh was answered 200: " + load.counts());
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "web-app").formParam("refresh_token", rotated)
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200);
        assertTrue(gapMs >= 0, "no order was stored after the failover: " + load.counts());
        // Every service works on the new primary.
        String fresh = token();
        given().auth().oauth2(fresh).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders").then().statusCode(201);
        given().auth().oauth2(fresh).get(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(200);
    }

    private Response order(String token, String line) {
        return given().auth().oauth2(token).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders");
    }

    private Response refresh(String refreshToken) {
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
