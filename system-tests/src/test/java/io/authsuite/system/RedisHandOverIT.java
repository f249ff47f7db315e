package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    /** What the preStop script did: its exit status, its log lines, how long it ran. */
    private record PreStop(int exit, String output, long millis) {
    }

    /** Runs the preStop hook's script for {@code server} as the pod runs it, with the addresses of this deployment. */
    private PreStop runPreStop(RedisServer server) throws Exception {
        String self = "127.0.0.1:" + server.port();
        String sentinels = redis.sentinelPorts().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(" "));
        long started = System.nanoTime();
        ProcessBuilder preStop = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        preStop.environment().putAll(Map.of("SELF", self, "LOCAL", self, "SENTINELS", sentinels,
                "REDISCLI_AUTH", server.password(RedisServer.ADMIN), "LOG", "/dev/stdout"));
        Process process = preStop.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the preStop script ran past the pod's grace period");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new PreStop(process.exitValue(), output, (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void primaryStoppedAfterItsPreStopThenRoleHandedOverAndNoAcknowledgedOrderLost() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("HANDOVER", 1_000_000);
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        suite.warmOrders(token, line, 20);
        RedisServer old = redis.primary();
        FaultLoad load = new FaultLoad(FaultLoad.ordersAndTokens(suite, token, line), 2).rotating("refresh", suite,
                () -> suite.signIn("alice", "alice-password", "openid orders:read").getString("refresh_token"));
        long hookStarted;
        long stopped;
        long ordersBack;
        PreStop hook;
        try (load) {
            Thread.sleep(2000);
            hookStarted = System.nanoTime();
            hook = runPreStop(old);
            assertEquals(0, hook.exit(), hook.output());
            // Before it stops, the old server already follows the promoted one, with writes let through again.
            String replication = old.command("INFO", "replication");
            assertTrue(replication.contains("role:slave") && replication.contains(
                    "master_port:" + redis.primary().port()), replication);
            // What the kubelet does once the preStop hook returns.
            stopped = System.nanoTime();
            old.close();
            load.awaitFirstAfter("order", 201, stopped, Duration.ofSeconds(30));
            ordersBack = System.nanoTime();
        }
        long gapMs = load.longestGap("order", 201, hookStarted - 1_000_000_000L, ordersBack) / 1_000_000;
        System.out.printf("%nRedis primary handed over by its preStop in %d ms (%s), then stopped; the longest time "
                + "without an order stored, from 1 s before the hook to 2 s after orders came back: %d ms; answers: "
                + "%s%n", hook.millis(), hook.output(), gapMs, load.counts());

        assertTrue(hook.output().contains("primary role handed to"), hook.output());
        assertNotEquals(old.port(), redis.primary().port(), "the Sentinels name another primary");
        assertEquals(List.of(), load.wrong(), "only 503 with Retry-After during the hand-over");
        // A rotation answered 200 waited for a replica (DurableWrites): its token works on the new primary.
        String rotated = load.acknowledgedRefreshToken("refresh");
        assertNotNull(rotated, "no refresh was answered 200: " + load.counts());
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "web-app").formParam("refresh_token", rotated)
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200);
        assertTrue(load.firstAfter("order", 201, stopped) >= 0, "no order was stored after the stop: "
                + load.counts());
        List<String> created = load.created().stream().filter(id -> !id.isEmpty()).toList();
        assertTrue(created.size() > 20, "orders answered 201 during the load: " + created.size());
        String reader = suite.demoCliToken("orders:read");
        for (String id : created) {
            given().auth().oauth2(reader).get(suite.orders.url() + "/orders/" + id).then().statusCode(200);
        }
    }
}
