package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisSentinels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
        suite = Suite.startPrivate(redis);
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static String token() {
        return given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read orders:write inventory:read")
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    void primaryKilledUnderLoadThenOnly503WithRetryAfterAndEveryServiceRecoversWithoutRestart() throws Exception {
        String token = token();
        String sku = "FAILOVER-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String inventoryAdmin = suite.accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        given().auth().oauth2(inventoryAdmin).contentType("application/json")
                .body("{\"name\":\"failover\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":1000000}")
                .put(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(201);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        for (int i = 0; i < 20; i++) {
            // Warm: the load before the kill should show the steady state, not the first requests' latency.
            given().auth().oauth2(token).contentType("application/json").body(line)
                    .post(suite.orders.url() + "/orders").then().statusCode(201);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest order = HttpRequest.newBuilder(URI.create(suite.orders.url() + "/orders"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(line)).build();
        HttpRequest grant = HttpRequest.newBuilder(URI.create(suite.auth.url() + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo-cli:demo-cli-secret".getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();

        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong lastOrderBefore = new AtomicLong();
        AtomicLong firstOrderAfter = new AtomicLong(Long.MAX_VALUE);
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            HttpRequest request = i % 2 == 0 ? order : grant;
            String what = i % 2 == 0 ? "order" : "token";
            load.submit(() -> {
                while (running.get()) {
                    long started = System.nanoTime();
                    int status;
                    String retryAfter;
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        status = r.statusCode();
                        retryAfter = r.headers().firstValue("Retry-After").orElse(null);
                        if (status >= 500 && (status != 503 || retryAfter == null)) {
                            wrong.add(what + " " + status + " " + r.body());
                        }
                    } catch (Exception e) {
                        status = -1;
                        wrong.add(what + " " + e);
                    }
                    statuses.computeIfAbsent(what + " " + status, k -> new LongAdder()).increment();
                    long now = System.nanoTime();
                    if ("order".equals(what) && status == 201) {
                        if (now < killedAt.get()) {
                            lastOrderBefore.set(now);
                        } else if (started > killedAt.get()) {
                            // Sent after the kill: stored on the new primary.
                            firstOrderAfter.accumulateAndGet(now, Math::min);
                        }
                    }
                }
                return null;
            });
        }
        Thread.sleep(3000);
        killedAt.set(System.nanoTime());
        Duration failover = redis.killPrimaryAndAwaitFailover(Duration.ofSeconds(30));
        // Recovery without a restart: orders succeed again within 30 s of the promotion.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (firstOrderAfter.get() == Long.MAX_VALUE && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2000);
        running.set(false);
        load.shutdown();
        load.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS);

        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        long before = lastOrderBefore.get() == 0 ? killedAt.get() : lastOrderBefore.get();
        long gapMs = firstOrderAfter.get() == Long.MAX_VALUE ? -1 : (firstOrderAfter.get() - before) / 1_000_000;
        System.out.printf("%nSentinel failover under load: promotion seen by all Sentinels after %d ms; "
                + "no order stored for %d ms (from the last order stored before the kill to the first one sent after it); "
                + "answers: %s%n",
                failover.toMillis(), gapMs, counts);
        assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())), "only 503 with Retry-After while failing over");
        assertTrue(gapMs >= 0, "no order was stored after the failover: " + counts);
        // Every service works on the new primary.
        String fresh = token();
        given().auth().oauth2(fresh).contentType("application/json").body(line)
                .post(suite.orders.url() + "/orders").then().statusCode(201);
        given().auth().oauth2(fresh).get(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(200);
    }
}
