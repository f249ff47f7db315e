package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsuite.testing.RedisSentinels;
import io.authsuite.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A rollout or a drain stopping the Redis primary of the Sentinel topology: the server's preStop hook
 * ({@code k8s/components/redis-sentinel/redis-prestop.sh}) hands the role to a replica first, and only then is the
 * server stopped (SIGTERM). The script runs here as in the pod, with {@code redis-cli}, against a primary, two
 * replicas and three Sentinels on loopback, under a load of orders and token requests: callers get 503 with
 * Retry-After at most, every order answered 201 is still there on the new primary, and the old server follows it.
 */
@Order(Integer.MAX_VALUE - 3)
@FaultSuite
class RedisHandOverIT {

    private static final Path SCRIPT = Suite.ROOT.resolve("k8s/components/redis-sentinel/redis-prestop.sh");

    private RedisSentinels redis;
    private Suite suite;

    @BeforeEach
    void start() {
        boolean available = new java.io.File("/usr/bin/redis-cli").canExecute() || onPath("redis-cli");
        String missing = "redis-cli is not installed (Debian: redis-tools): the preStop script needs it";
        assertTrue(available || !ToolsRequired.inThisRun(), missing);
        assumeTrue(available, missing);
        redis = RedisSentinels.start();
        suite = Suite.startPrivate(redis, Suite.UNLIMITED_TOKENS);
    }

    private static boolean onPath(String tool) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Path.of(dir, tool).toFile().canExecute());
    }

    @AfterEach
    void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void primaryStoppedAfterItsPreStopThenRoleHandedOverAndNoAcknowledgedOrderLost() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("HANDOVER", 1_000_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        for (int i = 0; i < 20; i++) {
            given().auth().oauth2(token).contentType("application/json").body(line)
                    .post(suite.orders.url() + "/orders").then().statusCode(201);
        }
        RedisServer old = redis.primary();
        String sentinels = redis.sentinelPorts().stream().map(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(" "));
        String self = "127.0.0.1:" + old.port();

        long handOverMs;
        long started;
        long stoppedAt;
        long ended;
        String output;
        FaultLoad load = new FaultLoad(FaultLoad.ordersAndTokens(suite, token, line), 2);
        try (load) {
            Thread.sleep(2000);
            started = System.nanoTime();
            ProcessBuilder preStop = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
            preStop.environment().putAll(Map.of("SELF", self, "LOCAL", self, "SENTINELS", sentinels,
                    "REDISCLI_AUTH", old.password(RedisServer.ADMIN)));
            Process process = preStop.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the preStop script ran past the pod's grace period");
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            handOverMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0, process.exitValue(), output);
            // What the kubelet does once the preStop hook returns.
            stoppedAt = System.nanoTime();
            old.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (load.firstAfter("order", 201, stoppedAt) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2000);
            ended = System.nanoTime();
        }
        long gapMs = load.longestGap("order", 201, started - 1_000_000_000L, ended) / 1_000_000;
        System.out.printf("%nRedis primary handed over by its preStop in %d ms (%s), then stopped; the longest time "
                + "without an order stored, from 1 s before the hook to 2 s after orders came back: %d ms; answers: "
                + "%s%n", handOverMs, output, gapMs, load.counts());

        assertTrue(output.contains("primary role handed to"), output);
        assertNotEquals(old.port(), redis.primary().port(), "the Sentinels name another primary");
        assertEquals(List.of(), load.wrong(), "only 503 with Retry-After during the hand-over");
        assertTrue(load.firstAfter("order", 201, stoppedAt) >= 0, "no order was stored after the stop: "
                + load.counts());
        List<String> created = load.created().stream().filter(id -> !id.isEmpty()).toList();
        assertTrue(created.size() > 20, "orders answered 201 during the load: " + created.size());
        String reader = suite.demoCliToken("orders:read");
        for (String id : created) {
            given().auth().oauth2(reader).get(suite.orders.url() + "/orders/" + id).then().statusCode(200);
        }
    }
}
