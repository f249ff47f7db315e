package io.authsuite.inventory.client;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The record of a discontinued sku that orders-service must hear of; orders-service is not running here. */
@QuarkusTest
class DiscontinuedNotifierTest {

    @Inject
    InventoryStore store;

    @Inject
    DiscontinuedNotifier notifier;

    private static boolean recorded(String sku) {
        return ":1".equals(RedisTestResource.server().command("SISMEMBER", "inventory:discontinued-pending", sku));
    }

    private String newItem() {
        String sku = "DSC-" + UUID.randomUUID().toString().substring(0, 8);
        store.createIfAbsent(sku, "notifier", 1);
        return sku;
    }

    @Test
    void recordWhenStatusWriteFailedThenDroppedAndItsOrdersNotCancelled() {
        // What a discontinue leaves when Redis fails between the record and the item's status: the admin got a 503,
        // the item is still on sale.
        String sku = newItem();
        notifier.record(sku);
        assertEquals(true, recorded(sku));
        notifier.retry();
        notifier.retry();
        assertEquals(false, recorded(sku), "an item still on sale two retries later is not sent to be swept");
    }

    @Test
    void discontinuedWhenOrdersServiceUnreachableThenRecordKeptForTheNextRetry() {
        String sku = newItem();
        String admin = TestIssuer.sign(TestIssuer.claims("admin-sub", "inventory-service", "inventory:write")
                .claim("client_id", "web-app").groups("admin"));
        given().auth().oauth2(admin).post("/inventory/items/" + sku + "/discontinue").then().statusCode(200);
        notifier.retry();
        notifier.retry();
        assertEquals(true, recorded(sku), "orders-service has not answered: the sku waits for it");
    }
}
