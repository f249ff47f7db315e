package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Orders through their life across the real services: idempotent placing, cancel, fulfil, delete, concurrency. */
class OrderLifecycleIT {

    private static Suite suite;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.shared();
        admin = suite.accessTokenFor("admin", "admin-password", "openid orders:read orders:write inventory:read");
    }

    private static String demoCli() {
        return given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    /** A fresh item with the given stock, created through the admin API. */
    private static String item(long stock) throws Exception {
        String sku = "LC-" + UUID.randomUUID().toString().substring(0, 8);
        String inventoryAdmin = suite.accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        given().auth().oauth2(inventoryAdmin).contentType("application/json")
                .body("{\"name\":\"lifecycle\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":" + stock + "}")
                .put(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(201);
        return sku;
    }

    private static int[] stockAndReserved(String token, String sku) {
        var json = given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/" + sku)
                .then().statusCode(200).extract().jsonPath();
        return new int[] {json.getInt("stock"), json.getInt("reserved")};
    }

    private static String order(String token, String sku, int quantity, String key) {
        var spec = given().auth().oauth2(token).contentType("application/json");
        if (key != null) {
            spec.header("Idempotency-Key", key);
        }
        return spec.body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}")
                .post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
    }

    @Test
    void sameIdempotencyKeyThenSameOrderReservedOnce() throws Exception {
        String token = demoCli();
        String sku = item(10);
        String key = UUID.randomUUID().toString();
        String first = order(token, sku, 2, key);
        String again = order(token, sku, 2, key);
        assertEquals(first, again);
        assertEquals(8, stockAndReserved(token, sku)[0]);
        given().auth().oauth2(token).header("Idempotency-Key", key).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":3}]}")
                .post(suite.orders.url() + "/orders").then().statusCode(422).body("error", equalTo("idempotency_key_reused"));
    }

    @Test
    void cancelThenStockBackAndOnlyAllowedTransitions() throws Exception {
        String token = demoCli();
        String sku = item(5);
        String id = order(token, sku, 3, null);
        assertEquals(2, stockAndReserved(token, sku)[0]);
        given().auth().oauth2(token).post(suite.orders.url() + "/orders/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        given().auth().oauth2(token).post(suite.orders.url() + "/orders/" + id + "/cancel").then().statusCode(200);
        int[] after = stockAndReserved(token, sku);
        assertEquals(5, after[0]);
        assertEquals(0, after[1]);
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + id + "/fulfil").then().statusCode(409)
                .body("error", equalTo("invalid_transition"));
    }

    @Test
    void fulfilByAdminThenStockLeavesAndCancelRefused() throws Exception {
        String token = demoCli();
        String sku = item(5);
        String id = order(token, sku, 2, null);
        given().auth().oauth2(token).post(suite.orders.url() + "/orders/" + id + "/fulfil").then().statusCode(403);
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + id + "/fulfil").then().statusCode(200)
                .body("status", equalTo("fulfilled"));
        int[] after = stockAndReserved(token, sku);
        assertEquals(3, after[0]);
        assertEquals(0, after[1]);
        given().auth().oauth2(token).post(suite.orders.url() + "/orders/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void cancelRacingFulfilThenOneWinsAndStatusMatchesTheStock() throws Exception {
        String token = demoCli();
        int races = 8;
        String sku = item(races);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < races; i++) {
            ids.add(order(token, sku, 1, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2 * races);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> cancels = new ArrayList<>();
            List<Future<Integer>> fulfils = new ArrayList<>();
            for (String id : ids) {
                cancels.add(pool.submit(() -> {
                    go.await();
                    return given().auth().oauth2(token).post(suite.orders.url() + "/orders/" + id + "/cancel").statusCode();
                }));
                fulfils.add(pool.submit(() -> {
                    go.await();
                    return given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + id + "/fulfil").statusCode();
                }));
            }
            go.countDown();
            int fulfilled = 0;
            for (int i = 0; i < races; i++) {
                int cancel = cancels.get(i).get();
                int fulfil = fulfils.get(i).get();
                // Exactly one transition wins; the loser is told 409, never 200 for a state it did not reach.
                assertEquals(List.of(200, 409), java.util.stream.Stream.of(cancel, fulfil).sorted().toList(),
                        "cancel " + cancel + ", fulfil " + fulfil);
                String status = given().auth().oauth2(token).get(suite.orders.url() + "/orders/" + ids.get(i))
                        .then().statusCode(200).extract().path("status");
                assertEquals(fulfil == 200 ? "fulfilled" : "cancelled", status);
                fulfilled += fulfil == 200 ? 1 : 0;
            }
            int[] after = stockAndReserved(token, sku);
            assertEquals(races - fulfilled, after[0], "cancelled orders gave their stock back, fulfilled ones shipped it");
            assertEquals(0, after[1]);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deleteByAdminThenGoneAndStockBack() throws Exception {
        String token = demoCli();
        String sku = item(4);
        String id = order(token, sku, 4, null);
        given().auth().oauth2(token).delete(suite.orders.url() + "/orders/" + id).then().statusCode(403);
        given().auth().oauth2(admin).delete(suite.orders.url() + "/orders/" + id).then().statusCode(204);
        given().auth().oauth2(token).get(suite.orders.url() + "/orders/" + id).then().statusCode(404);
        assertEquals(4, stockAndReserved(token, sku)[0]);
    }

    @Test
    void listShowsOwnOrdersToPeopleAndAllToAdmins() throws Exception {
        String token = demoCli();
        String id = order(token, item(3), 1, null);
        List<String> own = given().auth().oauth2(token).queryParam("limit", 100).get(suite.orders.url() + "/orders")
                .then().statusCode(200).extract().jsonPath().getList("items.id");
        assertTrue(own.contains(id));
        List<String> owners = given().auth().oauth2(token).queryParam("limit", 100).get(suite.orders.url() + "/orders")
                .then().extract().jsonPath().getList("items.owner");
        assertTrue(owners.stream().allMatch("demo-cli"::equals));
        // Newest first, everyone's: the admin's first page holds demo-cli's order.
        List<String> all = given().auth().oauth2(admin).queryParam("limit", 100).get(suite.orders.url() + "/orders")
                .then().statusCode(200).extract().jsonPath().getList("items.id");
        assertTrue(all.contains(id), "the admin's list holds demo-cli's order " + id + ": " + all);
    }

    @Test
    void manyParallelOrdersForScarceStockThenExactlyStockSucceed() throws Exception {
        String token = demoCli();
        int stock = 5;
        String sku = item(stock);
        assertEquals(java.util.Map.of(201, stock, 409, 20 - stock), suite.orderAtOnce(token, sku, 20));
        int[] after = stockAndReserved(token, sku);
        assertEquals(0, after[0]);
        assertEquals(stock, after[1]);
    }

    @Test
    void discontinuedItemThenItsOpenOrdersCancelledAcrossServicesAndNewOrdersConflict() throws Exception {
        String token = demoCli();
        String sku = item(6);
        String open = order(token, sku, 2, null);
        String shipped = order(token, sku, 1, null);
        given().auth().oauth2(admin).post(suite.orders.url() + "/orders/" + shipped + "/fulfil").then().statusCode(200);
        String inventoryAdmin = suite.accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        given().auth().oauth2(inventoryAdmin).post(suite.inventory.url() + "/inventory/items/" + sku + "/discontinue")
                .then().statusCode(200).body("status", equalTo("discontinued"));
        // inventory-service told orders-service with its own service token; the open order is cancelled, its stock back.
        given().auth().oauth2(token).get(suite.orders.url() + "/orders/" + open).then().body("status", equalTo("cancelled"));
        given().auth().oauth2(token).get(suite.orders.url() + "/orders/" + shipped).then().body("status", equalTo("fulfilled"));
        int[] after = stockAndReserved(token, sku);
        assertEquals(5, after[0]);
        assertEquals(0, after[1]);
        // A new order for it is refused for the item's state, not as a malformed request: 409, naming the sku.
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}").post(suite.orders.url() + "/orders")
                .then().statusCode(409).contentType("application/problem+json")
                .body("error", equalTo("item_discontinued"))
                .body("details.skus", org.hamcrest.Matchers.contains(sku));
    }

    @Test
    void concurrentDiscontinuesThenOrdersCancelledAndInventoryFetchesAtMostOneServiceToken() throws Exception {
        String token = demoCli();
        String inventoryAdmin = suite.accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        List<String> skus = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String sku = item(2);
            skus.add(sku);
            orders.add(order(token, sku, 1, null));
        }
        int before = suite.tokensIssuedTo("inventory-service");
        ExecutorService pool = Executors.newFixedThreadPool(skus.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (String sku : skus) {
                results.add(pool.submit(() -> {
                    go.await();
                    return given().auth().oauth2(inventoryAdmin)
                            .post(suite.inventory.url() + "/inventory/items/" + sku + "/discontinue").statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertEquals(200, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < skus.size(); i++) {
            given().auth().oauth2(token).get(suite.orders.url() + "/orders/" + orders.get(i)).then()
                    .body("status", equalTo("cancelled"));
            assertEquals(2, stockAndReserved(token, skus.get(i))[0]);
        }
        // One token per lifetime: a first discontinue fetches inventory-service's token, later ones reuse it.
        int after = suite.tokensIssuedTo("inventory-service");
        assertTrue(after >= 1 && after - before <= (before == 0 ? 1 : 0),
                "inventory-service fetched " + (after - before) + " service token(s) for 8 concurrent calls");
    }
}
