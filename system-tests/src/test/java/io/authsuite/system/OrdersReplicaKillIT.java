package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.NetworkLink;
import io.authsuite.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two orders-service replicas; one is killed (SIGKILL) in the middle of orders: while the answers of inventory-service
 * to its reserve and confirm calls are held back, so that it dies after the stock was reserved. Each client retries what failed with
 * the same Idempotency-Key at the other replica, as a client behind a load balancer does. Every key ends as exactly
 * one order; the holds of orders the dead replica left unfinished come back through expiry, the ones it stored but did
 * not confirm are confirmed by the survivor; and the books balance: stock + reserved = initial, reserved = the
 * orders' quantities.
 *
 * <p>Timers are short here so that the test sees them run: an Idempotency-Key lease of 3 s (a retry can take over the
 * key of a dead request after that), holds of 8 s, checks every second.
 */
@Order(Integer.MAX_VALUE - 8)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@FaultSuite
class OrdersReplicaKillIT {

    private static final long INITIAL = 100_000;

    private static Suite suite;
    /** Replica A reaches inventory-service through this link, which can hold its answers back. */
    private static NetworkLink toInventory;
    private static ServiceProcess ordersA;
    private static ServiceProcess ordersB;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate(Map.of(
                "orders-service", Map.of("ORDERS_IDEMPOTENCY_LEASE", "PT3S", "ORDERS_CONFIRM_AFTER", "PT3S",
                        "ORDERS_CONFIRM_RETRY_INTERVAL", "1s"),
                "inventory-service", Map.of("INVENTORY_RESERVATION_HOLD", "PT8S",
                        "INVENTORY_EXPIRY_CHECK_INTERVAL", "1s")));
        toInventory = NetworkLink.to(suite.inventory.port());
        ordersA = suite.startReplica("orders-service", "a",
                Map.of("INVENTORY_URL", "http://127.0.0.1:" + toInventory.port()));
        ordersB = suite.orders;
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
        if (toInventory != null) {
            toInventory.close();
        }
    }

    /** Stock and reserved of an item, as inventory-service reports them. */
    private static long[] books(String token, String sku) {
        var json = io.restassured.RestAssured.given().auth().oauth2(token)
                .get(suite.inventory.url() + "/inventory/items/" + sku).then().statusCode(200).extract().jsonPath();
        return new long[] {json.getLong("stock"), json.getLong("reserved")};
    }

    private static long ordersHolding(String token, String sku) {
        return io.restassured.RestAssured.given().auth().oauth2(token).queryParam("limit", 100)
                .get(ordersB.url() + "/orders").then().statusCode(200).extract().jsonPath()
                .<List<String>>getList("items.lines.sku").stream().filter(lines -> lines.contains(sku)).count();
    }

    @Test
    @Order(1)
    void clientHangingUpMidOrderThenOrderCompletesAndItsStockIsNotLeftHeld() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("HANGUP", 10);
        byte[] body = ("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":3}]}").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        // The client hangs up while its order is between the reservation (made; the answer held back) and the save.
        toInventory.holdBack();
        try (Socket socket = new Socket("127.0.0.1", ordersA.port())) {
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (books(token, sku)[1] != 3 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(3, books(token, sku)[1], "inventory reserved the order's stock");
        }
        Thread.sleep(300);
        toInventory.release();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ordersHolding(token, sku) != 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // Otherwise its 3 units stay held, unsellable, until the hold lapses.
        assertEquals(1, ordersHolding(token, sku), "the order was stored although its client left");
        assertEquals(7, books(token, sku)[0]);
    }

    @Test
    @Order(2)
    void ordersReplicaKilledMidOrderThenRetriesWithSameKeyCompleteOnceAndBooksBalance() throws Exception {
        String token = suite.demoCliToken("orders:read orders:write inventory:read");
        String sku = suite.newItem("KILL", INITIAL);
        long ordersBefore = given().auth().oauth2(token).get(ordersB.url() + "/orders?limit=1").then().statusCode(200)
                .extract().jsonPath().getLong("total");
        String line = "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicBoolean aAlive = new AtomicBoolean(true);
        AtomicBoolean stop = new AtomicBoolean(false);
        Map<String, String> orderOfKey = new ConcurrentHashMap<>();
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger failedAtA = new AtomicInteger();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    String key = UUID.randomUUID().toString();
                    boolean first = true;
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (true) {
                        // The first attempt goes to A while it lives; every retry goes to B.
                        String at = first && aAlive.get() ? ordersA.url() : ordersB.url();
                        HttpRequest request = HttpRequest.newBuilder(URI.create(at + "/orders"))
                                .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(line)).build();
                        String outcome;
                        HttpResponse<String> response = null;
                        try {
                            response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            outcome = Integer.toString(response.statusCode());
                        } catch (IOException e) {
                            outcome = "connection failed";
                        }
                        answers.computeIfAbsent((at.equals(ordersB.url()) ? "B " : "A ") + outcome,
                                k -> new AtomicInteger()).incrementAndGet();
                        if (response != null && response.statusCode() == 201) {
                            orderOfKey.put(key, JsonPath.from(response.body()).getString("id"));
                            break;
                        }
                        if (first && at.equals(ordersA.url())) {
                            failedAtA.incrementAndGet();
                        }
                        if (first) {
                            retried.incrementAndGet();
                        }
                        first = false;
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("key " + key + " never completed; last answer " + outcome);
                        }
                        Thread.sleep(200);
                    }
                }
                return null;
            }));
        }
        Thread.sleep(3000);
        // Mid-order: inventory-service has reserved (or confirmed) for A's calls in flight, and A waits for the answer.
        toInventory.holdBack();
        Thread.sleep(500);
        ordersA.kill();
        aAlive.set(false);
        toInventory.sever();
        long killedAt = System.nanoTime();
        Thread.sleep(3000);
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();

        // Exactly once: every key is one order, and the owner has no order beyond those.
        Set<String> ids = new HashSet<>(orderOfKey.values());
        assertEquals(orderOfKey.size(), ids.size(), "two keys answered with the same order");
        JsonPath page = given().auth().oauth2(token).get(ordersB.url() + "/orders?limit=1").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(orderOfKey.size(), page.getLong("total") - ordersBefore,
                "orders stored beyond one per Idempotency-Key");

        // The books balance once the dead replica's unfinished holds have lapsed and its unconfirmed orders have
        // been confirmed by the survivor.
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        JsonPath item;
        long orphanHolds = -1;
        while (true) {
            item = given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/" + sku).then()
                    .statusCode(200).extract().jsonPath();
            if (orphanHolds < 0) {
                orphanHolds = item.getLong("reserved") - orderOfKey.size();
            }
            if (item.getLong("reserved") == orderOfKey.size() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        long balancedAfter = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("%norders-service replica A killed mid-order: %d orders (one per Idempotency-Key), %d keys "
                        + "retried at B (%d after failing at A); answers %s; %d unit(s) held by unfinished orders when the load "
                        + "stopped; stock %d + reserved %d = %d, balanced %d ms after the kill%n", orderOfKey.size(),
                retried.get(), failedAtA.get(), answers, orphanHolds,
                item.getLong("stock"), item.getLong("reserved"), item.getLong("stock") + item.getLong("reserved"),
                balancedAfter);
        assertEquals(INITIAL, item.getLong("stock") + item.getLong("reserved"), "stock + reserved = initial");
        assertEquals(orderOfKey.size(), item.getLong("reserved"), "reserved = the orders' quantities");
        assertTrue(failedAtA.get() > 0, "some orders failed at A and were retried at B: " + answers);
        assertTrue(orphanHolds > 0, "A died holding reservations of unfinished orders");
        assertTrue(answers.containsKey("B 409"), "B saw A's claim of a key in progress before taking it over: "
                + answers);
    }
}
