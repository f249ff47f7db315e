package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two auth-service replicas; one is killed (SIGKILL) under a load of client-credentials grants and refresh rotations
 * at the other and of reads at the resource services. The other replica keeps serving every request, and the resource services do not notice:
 * they verify with their cached JWKS and hold their own service tokens.
 */
@Order(Integer.MAX_VALUE - 7)
@FaultSuite
class AuthReplicaKillIT {

    private static Suite suite;
    private static ServiceProcess authB;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate();
        authB = suite.startReplica("auth-service", "b");
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void oneAuthReplicaKilledUnderLoadThenTheOtherServesEveryRequestAndResourcesAreUnaffected() throws Exception {
        String token = suite.demoCliToken("orders:read inventory:read");
        HttpRequest grant = HttpRequest.newBuilder(URI.create(authB.url() + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo-cli:demo-cli-secret".getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpRequest read = HttpRequest.newBuilder(URI.create(suite.inventory.url() + "/inventory/items/BOOK-001"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build();
        HttpRequest orders = HttpRequest.newBuilder(URI.create(suite.orders.url() + "/orders"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build();
        // A refresh chain at B alongside: each rotation must go through, before and after A dies.
        String[] refreshToken = {suite.signIn("alice", "alice-password", "openid orders:read").getString("refresh_token")};
        Map<Integer, Integer> refreshes = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger rotatedAfterKill = new AtomicInteger();
        AtomicReference<Throwable> chainFailure = new AtomicReference<>();
        Thread chain = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    boolean afterKill = killed.get();
                    io.restassured.response.Response r = io.restassured.RestAssured.given()
                            .contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                            .formParam("client_id", "web-app").formParam("refresh_token", refreshToken[0])
                            .post(authB.url() + "/oauth2/token");
                    refreshes.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() != 200) {
                        return;
                    }
                    refreshToken[0] = r.path("refresh_token");
                    if (afterKill) {
                        rotatedAfterKill.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                chainFailure.set(e);
            }
        });
        FaultLoad load = new FaultLoad(Map.of("token at B", grant, "inventory read", read, "orders read", orders), 1);
        long killedAt;
        try (load) {
            Thread.sleep(2000);
            suite.auth.kill();
            killedAt = System.nanoTime();
            killed.set(true);
            Thread.sleep(4000);
        } finally {
            stop.set(true);
            chain.join();
        }
        Map<String, Long> counts = load.counts();
        System.out.printf("%nauth-service replica A killed under load: answers %s; refresh rotations at B: %s, %d of "
                + "them sent after the kill%n", counts, refreshes, rotatedAfterKill.get());
        assertNull(chainFailure.get(), "the refresh chain at B failed: " + chainFailure.get());
        assertTrue(rotatedAfterKill.get() > 0, "no rotation at B was sent after A died: " + refreshes);
        assertEquals(Set.of(200), refreshes.keySet(), "every refresh at B rotated: " + refreshes);
        assertEquals(List.of(), load.wrong());
        assertTrue(counts.keySet().stream().allMatch(k -> k.endsWith(" 200")), "every request answered 200: " + counts);
        for (String what : List.of("token at B", "inventory read", "orders read")) {
            assertTrue(load.firstAfter(what, 200, killedAt) > 0, what + ": no answer to a request sent after A died");
        }
    }
}
