package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReservationsResourceTest {

    private static final String AUD = "inventory-service";

    @Inject
    InventoryStore store;

    static String service() {
        return TestIssuer.token("orders-service", AUD, "inventory:reserve");
    }

    static String body(String orderId, String... skuQty) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < skuQty.length; i += 2) {
            lines.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(skuQty[i]).append("\",\"quantity\":")
                    .append(skuQty[i + 1]).append('}');
        }
        return "{\"orderId\":\"" + orderId + "\",\"lines\":[" + lines + "]}";
    }

    private String sku(String prefix, long stock) {
        String sku = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        store.createIfAbsent(sku, prefix, stock);
        return sku;
    }

    private Item item(String sku) {
        return store.find(sku).orElseThrow();
    }

    @Test
    void reserveWhenStockSufficientThenAllLinesReserved() {
        String a = sku("RES", 5);
        String b = sku("RES", 2);
        given().auth().oauth2(service()).contentType("application/json").body(body("o-1" + a, a, "3", b, "2"))
                .post("/inventory/reservations")
                .then().statusCode(201)
                .header("Location", containsString("/inventory/reservations/o-1" + a))
                .body("status", equalTo("held"))
                .body("lines.size()", equalTo(2));
        assertEquals(2, item(a).stock());
        assertEquals(3, item(a).reserved());
        assertEquals(0, item(b).stock());
        assertEquals(2, item(b).reserved());
    }

    @Test
    void reserveWhenOneLineShortThenConflictAndNothingReserved() {
        String a = sku("RES", 5);
        String b = sku("RES", 1);
        given().auth().oauth2(service()).contentType("application/json").body(body("o-2" + a, a, "3", b, "2"))
                .post("/inventory/reservations")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("error", equalTo("insufficient_stock"))
                .body("details.shortLines[0].sku", equalTo(b))
                .body("details.shortLines[0].requested", equalTo(2))
                .body("details.shortLines[0].available", equalTo(1));
        assertEquals(5, item(a).stock());
        assertEquals(0, item(a).reserved());
        assertEquals(1, item(b).stock());
    }

    @Test
    void reserveWhenRepeatedForSameOrderThenReservedOnce() {
        String a = sku("RES", 5);
        String order = "o-3" + a;
        given().auth().oauth2(service()).contentType("application/json").body(body(order, a, "2"))
                .post("/inventory/reservations").then().statusCode(201);
        given().auth().oauth2(service()).contentType("application/json").body(body(order, a, "2"))
                .post("/inventory/reservations").then().statusCode(200).body("orderId", equalTo(order));
        assertEquals(3, item(a).stock());
        given().auth().oauth2(service()).contentType("application/json").body(body(order, a, "1"))
                .post("/inventory/reservations").then().statusCode(409).body("error", equalTo("reservation_conflict"));
        assertEquals(3, item(a).stock());
    }

    @Test
    void reserveWhenSkuRepeatedThenQuantitiesSummed() {
        String a = sku("RES", 5);
        given().auth().oauth2(service()).contentType("application/json").body(body("o-4" + a, a, "2", a, "2"))
                .post("/inventory/reservations").then().statusCode(201).body("lines[0].quantity", equalTo(4));
        assertEquals(1, item(a).stock());
    }

    @Test
    void reserveWhenSkuUnknownThenBadRequestNamingLine() {
        String a = sku("RES", 5);
        given().auth().oauth2(service()).contentType("application/json").body(body("o-5" + a, a, "1", "NO-SUCH", "1"))
                .post("/inventory/reservations")
                .then().statusCode(400).body("errors[0].field", equalTo("lines[1].sku"));
        assertEquals(5, item(a).stock());
    }

    @Test
    void reserveWhenInputInvalidThenBadRequestNamingField() {
        String a = sku("RES", 5);
        record Case(String body, String field) {
        }
        for (Case c : List.of(
                new Case("{\"orderId\":\"x\",\"lines\":[{\"sku\":\"" + a + "\",\"quantity\":0}]}", "lines[0].quantity"),
                new Case("{\"orderId\":\"x\",\"lines\":[{\"sku\":\"" + a + "\"}]}", "lines[0].quantity"),
                new Case("{\"orderId\":\"x\",\"lines\":[]}", "lines"),
                new Case("{\"lines\":[{\"sku\":\"" + a + "\",\"quantity\":1}]}", "orderId"),
                new Case("{\"orderId\":\"../etc\",\"lines\":[{\"sku\":\"" + a + "\",\"quantity\":1}]}", "orderId"),
                new Case("{\"orderId\":\"x\",\"lines\":[{\"sku\":\"" + a + "\",\"quantity\":\"many\"}]}", "lines[0].quantity"),
                new Case("{\"orderId\":\"x\",\"lines\":[{\"sku\":\"a b\",\"quantity\":1}]}", "lines[0].sku"),
                new Case("{\"orderId\":", "body"),
                new Case("[1,2]", "body"))) {
            given().auth().oauth2(service()).contentType("application/json").body(c.body())
                    .post("/inventory/reservations")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(c.field()));
        }
        assertEquals(5, item(a).stock());
    }

    @Test
    void reserveWithPersonTokenThenForbidden() {
        String a = sku("RES", 5);
        String person = TestIssuer.sign(TestIssuer.claims("user-123", AUD, "inventory:reserve").claim("client_id", "web-app"));
        given().auth().oauth2(person).contentType("application/json").body(body("o-6" + a, a, "1"))
                .post("/inventory/reservations").then().statusCode(403);
        assertEquals(5, item(a).stock());
    }

    @Test
    void reserveWithoutReserveScopeThenInsufficientScope() {
        String a = sku("RES", 5);
        given().auth().oauth2(TestIssuer.token("orders-service", AUD, "inventory:read"))
                .contentType("application/json").body(body("o-7" + a, a, "1"))
                .post("/inventory/reservations")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"inventory:reserve\""));
    }

    @Test
    void reserveWhenManyOrdersRaceThenExactlyStockSucceed() throws Exception {
        int stock = 7;
        int orders = 30;
        String a = sku("RACE", stock);
        String token = service();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                String order = "race-" + i + "-" + a;
                results.add(pool.submit(() -> given().auth().oauth2(token).contentType("application/json")
                        .body(body(order, a, "1")).post("/inventory/reservations").statusCode()));
            }
            int created = 0;
            int conflicts = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                if (status == 201) {
                    created++;
                } else if (status == 409) {
                    conflicts++;
                }
            }
            assertEquals(stock, created);
            assertEquals(orders - stock, conflicts);
            assertEquals(0, item(a).stock());
            assertEquals(stock, item(a).reserved());
        } finally {
            pool.shutdownNow();
        }
    }

    private void reserve(String orderId, String sku) {
        given().auth().oauth2(service()).contentType("application/json").body(body(orderId, sku, "1"))
                .post("/inventory/reservations").then().statusCode(201);
    }

    @Test
    void confirmAllWhenHeldReleasedAndUnknownThenOneResultEachInOrder() {
        String a = sku("CONF", 5);
        String held1 = "c-1" + a;
        String held2 = "c-2" + a;
        String released = "c-3" + a;
        reserve(held1, a);
        reserve(held2, a);
        reserve(released, a);
        given().auth().oauth2(service()).post("/inventory/reservations/" + released + "/release")
                .then().statusCode(200);
        String body = "{\"orderIds\":[\"" + held1 + "\",\"" + released + "\",\"nothing-" + a + "\",\"" + held2
                + "\",\"" + held1 + "\"]}";
        given().auth().oauth2(service()).contentType("application/json").body(body)
                .post("/inventory/reservations/confirmations")
                .then().statusCode(200)
                .body("results.orderId", equalTo(List.of(held1, released, "nothing-" + a, held2, held1)))
                .body("results.outcome", equalTo(List.of("confirmed", "conflict", "gone", "confirmed", "confirmed")))
                .body("results.status", equalTo(java.util.Arrays.asList("reserved", "released", null, "reserved",
                        "reserved")));
        given().auth().oauth2(service()).get("/inventory/reservations/" + held2)
                .then().statusCode(200).body("status", equalTo("reserved")).body("expiresAt", equalTo(0));
        assertEquals(2, item(a).reserved());
        assertEquals(3, item(a).stock());
    }

    @Test
    void confirmAllWhenBodyInvalidThenBadRequestNamingTheField() {
        for (String[] bad : List.of(new String[] {"{}", "orderIds"}, new String[] {"{\"orderIds\":[]}", "orderIds"},
                new String[] {"{\"orderIds\":[\"ok-1\",\"no spaces\"]}", "orderIds[1]"},
                new String[] {"{\"orderIds\":[\"ok-1\",null]}", "orderIds[1]"},
                new String[] {"{\"orderIds\":" + tooMany() + "}", "orderIds"})) {
            given().auth().oauth2(service()).contentType("application/json").body(bad[0])
                    .post("/inventory/reservations/confirmations")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad[1]));
        }
        given().auth().oauth2(service()).contentType("application/json").body("{\"orderIds\":")
                .post("/inventory/reservations/confirmations")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static String tooMany() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= ReservationsResource.MAX_CONFIRMATIONS; i++) {
            ids.add("\"id-" + i + "\"");
        }
        return "[" + String.join(",", ids) + "]";
    }

    @Test
    void confirmAllWhenTokenOfPersonThenForbidden() {
        String person = TestIssuer.sign(TestIssuer.claims("user-123", AUD, "inventory:reserve").claim("client_id", "web-app"));
        given().auth().oauth2(person).contentType("application/json")
                .body("{\"orderIds\":[\"x-1\"]}").post("/inventory/reservations/confirmations")
                .then().statusCode(403);
        given().auth().oauth2(TestIssuer.token("orders-service", AUD, "inventory:read")).contentType("application/json")
                .body("{\"orderIds\":[\"x-1\"]}").post("/inventory/reservations/confirmations")
                .then().statusCode(403);
    }
}
