package io.authsuite.inventory.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** orders-service is not running here: discontinued items wait in Redis, and readiness says so while staying UP. */
@QuarkusTest
class OrdersHealthTest {

    private static final String CHECK = "checks.find { it.name == 'orders-service' }";

    @Inject
    InventoryStore store;

    @Test
    void readinessWhenOrdersUnreachableThenUpWithPendingCancellations() {
        String sku = "HLT-" + UUID.randomUUID().toString().substring(0, 8);
        store.createIfAbsent(sku, "health", 1);
        String admin = TestIssuer.sign(TestIssuer.claims("admin-sub", "inventory-service", "inventory:write")
                .claim("client_id", "web-app").groups("admin"));
        given().auth().oauth2(admin).post("/inventory/items/" + sku + "/discontinue").then().statusCode(200);

        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(CHECK + ".status", equalTo("UP"))
                .body(CHECK + ".data.'pending-cancellations'", greaterThanOrEqualTo(1))
                .body(CHECK + ".data.'orders-cancellations'", org.hamcrest.Matchers.oneOf("closed", "open", "half_open"));
    }
}
