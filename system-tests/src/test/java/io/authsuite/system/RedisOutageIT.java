package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisServer;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Redis killed (SIGKILL) under a load of orders and token requests and started again 10 s later: meanwhile callers
 * get 503 with Retry-After, never another 5xx; afterwards the services work again without a restart, and what was
 * acknowledged before (an order, a revocation) is still there. Redis here writes its append-only file with
 * {@code appendfsync always}; the shipped k8s/base/redis.conf uses {@code everysec}, which may lose the last second.
 */
@Order(Integer.MAX_VALUE - 6)
@FaultSuite
class RedisOutageIT {

    private static Path dir;
    private static RedisServer redis;
    private static RedisServer restarted;
    private static Suite suite;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("authsuite-redis-outage");
        redis = RedisServer.startPersistent(dir);
        suite = Suite.startPrivate(redis, Suite.UNLIMITED_TOKENS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (restarted != null) {
            restarted.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static String token() {
        return suite.demoCliToken("orders:read orders:write inventory:read");
    }

    @Test
    void redisKilledForTenSecondsUnderLoadThenOnly503AndWhatWasAcknowledgedIsStillThere() throws Exception {
        String token = token();
        String sku = suite.newItem("OUTAGE", 1_000_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        String orderId = given().auth().oauth2(token).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
        String revoked = token();
        String item = suite.inventory.url() + "/inventory/items/" + sku;
        given().auth().oauth2(revoked).get(item).then().statusCode(200);
        given().auth().preemptive().basic("demo-cli", "demo-cli-secret").contentType("application/x-www-form-urlencoded")
                .formParam("token", revoked).post(suite.auth.url() + "/oauth2/revoke").then().statusCode(200);
        String jti = new JsonPath(new String(Base64.getUrlDecoder().decode(revoked.split("\\.")[1]))).getString("jti");

        long killed;
        long back;
        FaultLoad load = new FaultLoad(FaultLoad.ordersAndTokens(suite, token, line), 2);
        try (load) {
            Thread.sleep(2000);
            killed = System.nanoTime();
            redis.kill();
            Thread.sleep(10_000);
            restarted = redis.startAgain();
            back = System.nanoTime();
            long deadline = back + 30_000_000_000L;
            while (load.firstAfter("order", 201, back) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
        }
        long firstOrder = load.firstAfter("order", 201, back);
        System.out.printf("%nRedis killed for %d ms under load: answers %s; the first order after Redis was back was "
                + "stored %d ms later%n", (back - killed) / 1_000_000, load.counts(),
                firstOrder < 0 ? -1 : (firstOrder - back) / 1_000_000);
        assertEquals(List.of(), load.wrong(), "only 503 with Retry-After while Redis was down");
        assertTrue(firstOrder > 0, "no order stored after Redis came back: " + load.counts());
        assertTrue(load.counts().getOrDefault("order 503", 0L) > 0, "the outage was not seen: " + load.counts());

        // Acknowledged before the kill, still true after it: the order, and the revocation (in Redis, not only in
        // the resource services' memory).
        given().auth().oauth2(token).get(suite.orders.url() + "/orders/" + orderId).then().statusCode(200);
        assertNotEquals("$-1", restarted.command("ZSCORE", "auth:denied", "jti:" + jti));
        assertNotEquals("", restarted.command("ZSCORE", "auth:denied", "jti:" + jti));
        given().auth().oauth2(revoked).get(item).then().statusCode(401);
        given().auth().oauth2(token()).get(item).then().statusCode(200);
    }
}
