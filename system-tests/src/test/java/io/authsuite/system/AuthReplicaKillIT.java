package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two auth-service replicas; one is killed (SIGKILL) under a load of token requests at the other and of reads at
 * the resource services. The other replica keeps serving every request, and the resource services do not notice:
 * they verify with their cached JWKS and hold their own service tokens.
 */
@Order(Integer.MAX_VALUE - 7)
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
        FaultLoad load = new FaultLoad(Map.of("token at B", grant, "inventory read", read, "orders read", orders), 1);
        try (load) {
            Thread.sleep(2000);
            suite.auth.kill();
            Thread.sleep(4000);
        }
        Map<String, Long> counts = load.counts();
        System.out.printf("%nauth-service replica A killed under load: answers %s%n", counts);
        assertEquals(List.of(), load.wrong());
        assertTrue(counts.keySet().stream().allMatch(k -> k.endsWith(" 200")), "every request answered 200: " + counts);
        assertTrue(counts.getOrDefault("token at B 200", 0L) > 0);
    }
}
