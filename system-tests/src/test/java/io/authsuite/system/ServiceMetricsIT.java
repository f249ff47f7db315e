package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.ServiceProcess;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard and the alerts of k8s/components/monitoring read from the resource services exists once they
 * have worked: service-token fetches by grant, Redis command latency, and the circuit breakers' states.
 */
class ServiceMetricsIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
    }

    private static String metrics(ServiceProcess service) {
        return given().get(service.url() + "/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the first sample of {@code name} whose labels contain every one of {@code labels}. */
    private static double sample(String metrics, String name, String... labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} ([-0-9.E+]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        while (m.find()) {
            String found = m.group(1);
            if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " with " + String.join(", ", labels) + " in\n" + metrics);
    }

    private static String order(String token, String sku) {
        return given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")
                .post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
    }

    @Test
    void ordersPlacedThenTokenFetchesRedisLatencyAndCircuitStatesExported() throws Exception {
        String sku = suite.newItem("METRICS", 10);
        order(suite.demoCliToken("orders:write"), sku);
        order(suite.accessTokenFor("alice", "alice-password", "openid orders:write inventory:read"), sku);

        String orders = metrics(suite.orders);
        assertTrue(sample(orders, "authsuite_service_token_fetches_seconds_count",
                "grant_type=\"client_credentials\"", "outcome=\"success\"") >= 1, "orders-service's own token");
        assertTrue(sample(orders, "authsuite_service_token_fetches_seconds_count",
                "grant_type=\"urn:ietf:params:oauth:grant-type:token-exchange\"", "outcome=\"success\"") >= 1,
                "the person's token exchanged");
        assertTrue(sample(orders, "redis_commands_duration_seconds_count") > 0, "Redis command latency");
        // The breaker around the calls to inventory-service is closed (1 in the state "closed").
        assertTrue(sample(orders, "ft_circuitbreaker_state_current", "state=\"closed\"") == 1.0,
                "circuit-breaker state");
        String inventory = metrics(suite.inventory);
        assertTrue(sample(inventory, "redis_commands_duration_seconds_count") > 0, "Redis command latency");
    }
}
