package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisSentinels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The three services on a Redis behind Sentinels (a primary, a replica, three Sentinels), configured the way a
 * deployment configures them (REDIS_URL lists the Sentinels; client type sentinel). Under a load of orders and token
 * requests the primary is killed with SIGKILL: while the Sentinels promote the replica, callers get 503 with
 * Retry-After, never another 5xx, and afterwards every service works again without a restart.
 */
@Order(Integer.MAX_VALUE - 3)
class SentinelFailoverIT {

    private static RedisSentinels redis;
    private static Suite suite;

    @BeforeAll
    static void start() {
        redis = RedisSentinels.start();
        suite = Suite.startPrivate(redis, Suite.UNLIMITED_TOKENS);
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static String token() {
        return suite.demoCliToken("orders:read orders:write inventory:read");
    }

    @Test
    void primaryKilledUnderLoadThenOnly503WithRetryAfterAndEveryServiceRecoversWithoutRestart() throws Exception {
        String token = token();
        String sku = suite.newItem("FAILOVER", 1_000_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        for (int i = 0; i < 20; i++) {
            // Warm: the load before the kill should show the steady state, not the first requests' latency.
            given().auth().oauth2(token).contentType("application/json").body(line)
                    .post(suite.orders.url() + "/orders").then().statusCode(201);
        }
        Duration failover;
        long killedAt;
        long firstOrderAfter;
        FaultLoad load = new FaultLoad(FaultLoad.ordersAndTokens(suite, token, line), 2);
        try (load) {
            Thread.sleep(3000);
            killedAt = System.nanoTime();
            failover = redis.killPrimaryAndAwaitFailover(Duration.ofSeconds(30));
            // Recovery without a restart: orders succeed again within 30 s of the promotion.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (load.firstAfter("order", 201, killedAt) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2000);
        }
        firstOrderAfter = load.firstAfter("order", 201, killedAt);
        long gapMs = firstOrderAfter < 0 ? -1 : (firstOrderAfter - load.lastBefore("order", 201, killedAt)) / 1_000_000;
        System.out.printf("%nSentinel failover under load: promotion seen by all Sentinels after %d ms; "
                + "no order stored for %d ms (from the last order stored before the kill to the first one sent after it); "
                + "answers: %s%n", failover.toMillis(), gapMs, load.counts());
        assertEquals(List.of(), load.wrong(), "only 503 with Retry-After while failing over");
        assertTrue(gapMs >= 0, "no order was stored after the failover: " + load.counts());
        // Every service works on the new primary.
        String fresh = token();
        given().auth().oauth2(fresh).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders").then().statusCode(201);
        given().auth().oauth2(fresh).get(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(200);
    }
}
