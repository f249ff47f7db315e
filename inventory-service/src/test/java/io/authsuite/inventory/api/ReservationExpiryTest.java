package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A reservation that is never confirmed (its order was not stored) gives its stock back when the hold lapses. */
@QuarkusTest
@TestProfile(ReservationExpiryTest.ShortHold.class)
class ReservationExpiryTest {

    public static class ShortHold implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("inventory.reservation-hold", "PT3S", "inventory.expiry-check-interval", "1s");
        }
    }

    @Inject
    InventoryStore store;

    @Test
    void heldReservationWhenNotConfirmedThenExpiresAndStockReturns() throws Exception {
        String sku = "EXP-" + UUID.randomUUID().toString().substring(0, 8);
        store.createIfAbsent(sku, "exp", 3);
        String token = TestIssuer.token("orders-service", "inventory-service", "inventory:reserve");
        String abandoned = "exp-" + UUID.randomUUID();
        String confirmed = "exp-" + UUID.randomUUID();
        // The hold is counted in whole seconds, so it may last one second less than configured: the confirmed one
        // is confirmed at once, before the abandoned one is even made.
        for (String order : new String[] {confirmed, abandoned}) {
            given().auth().oauth2(token).contentType("application/json")
                    .body("{\"orderId\":\"" + order + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")
                    .post("/inventory/reservations").then().statusCode(201);
            if (order.equals(confirmed)) {
                given().auth().oauth2(token).post("/inventory/reservations/" + confirmed + "/confirm").then()
                        .statusCode(200);
            }
        }
        // Both units are out until the hold lapses; on a slow machine it may have lapsed already (read stock first:
        // it only ever goes back up once the abandoned hold has expired).
        long stockNow = store.find(sku).orElseThrow().stock();
        if (stockNow != 1) {
            assertEquals("expired", store.reservation(abandoned).orElseThrow().status());
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (store.find(sku).orElseThrow().stock() != 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(2, store.find(sku).orElseThrow().stock());
        assertEquals(1, store.find(sku).orElseThrow().reserved());
        assertEquals("expired", store.reservation(abandoned).orElseThrow().status());
        assertEquals("reserved", store.reservation(confirmed).orElseThrow().status());
    }
}
