package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.testing.RedisCluster;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three services on a Redis Cluster of three primaries (cluster mode of the same redis-server binary; slots
 * assigned by the fixture), configured as a deployment on Redis Cluster is: client type {@code cluster}, the nodes as
 * seeds. Redis refuses any script, transaction or command whose keys span hash slots (CROSSSLOT), so each flow here
 * proves that its keys are grouped by hash tags: the README walkthrough, the order race, multi-line orders, sign-in
 * with code + PKCE, refresh rotation and reuse detection, revocation followed by the resource services, and log-out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@FleetSuite
class RedisClusterIT {

    private static final String SCOPE = "orders:read orders:write inventory:read";

    private static RedisCluster redis;
    private static Suite suite;

    @BeforeAll
    static void start() {
        redis = RedisCluster.start();
        suite = Suite.startPrivate(redis);
    }

    @AfterAll
    static void stop() {
        // The suite stops the cluster with the services.
        if (suite != null) {
            suite.close();
        } else if (redis != null) {
            redis.close();
        }
    }

    private static int[] stockAndReserved(String token, String sku) {
        JsonPath item = given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/" + sku)
                .then().statusCode(200).extract().jsonPath();
        return new int[] {item.getInt("stock"), item.getInt("reserved")};
    }

    private static String order(String... skuQuantity) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < skuQuantity.length; i += 2) {
            lines.add("{\"sku\":\"" + skuQuantity[i] + "\",\"quantity\":" + skuQuantity[i + 1] + "}");
        }
        return "{\"lines\":[" + String.join(",", lines) + "]}";
    }

    @Test
    @Order(1)
    void walkthroughOnClusterThenTokenOrderAndStockReserved() {
        String token = suite.demoCliToken(SCOPE);
        assertEquals(25, stockAndReserved(token, "BOOK-001")[0]);
        given().auth().oauth2(token).contentType("application/json").body(order("BOOK-001", "2"))
                .post(suite.orders.url() + "/orders").then().statusCode(201);
        int[] after = stockAndReserved(token, "BOOK-001");
        assertEquals(23, after[0]);
        assertEquals(2, after[1]);
    }

    @Test
    @Order(2)
    void multiLineOrderOnClusterThenAllLinesReservedOrNone() throws Exception {
        String token = suite.demoCliToken(SCOPE);
        String a = suite.newItem("CLUSTER-A", 5);
        String b = suite.newItem("CLUSTER-B", 1);
        given().auth().oauth2(token).contentType("application/json").body(order(a, "2", b, "1"))
                .post(suite.orders.url() + "/orders").then().statusCode(201);
        // b has nothing left: the whole order is refused and a keeps its stock.
        given().auth().oauth2(token).contentType("application/json").body(order(a, "1", b, "1"))
                .post(suite.orders.url() + "/orders").then().statusCode(409)
                .body("error", equalTo("insufficient_stock")).body("details.shortLines", hasSize(1))
                .body("details.shortLines[0].sku", equalTo(b));
        assertEquals(3, stockAndReserved(token, a)[0]);
        assertEquals(0, stockAndReserved(token, b)[0]);
    }

    @Test
    @Order(3)
    void parallelOrdersForScarceStockOnClusterThenExactlyStockSucceed() throws Exception {
        String token = suite.demoCliToken(SCOPE);
        int stock = 6;
        String sku = suite.newItem("CLUSTER-RACE", stock);
        Map<Integer, Integer> statuses = suite.orderAtOnce(token, sku, stock + 4);
        System.out.printf("%nOrder race on a three-primary Redis Cluster, %d orders for %d items: %s%n",
                stock + 4, stock, statuses);
        assertEquals(Map.of(201, stock, 409, 4), statuses);
        int[] after = stockAndReserved(token, sku);
        assertEquals(0, after[0]);
        assertEquals(stock, after[1]);
    }

    private static io.restassured.response.Response refresh(String refreshToken) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "web-app").formParam("refresh_token", refreshToken)
                .post(suite.auth.url() + "/oauth2/token");
    }

    @Test
    @Order(4)
    void refreshOnClusterThenRotatesAndReuseRevokesFamilyAndItsAccessTokens() throws Exception {
        JsonPath signedIn = suite.signIn("alice", "alice-password", "openid orders:read inventory:read");
        JsonPath rotated = refresh(signedIn.getString("refresh_token")).then().statusCode(200).extract().jsonPath();
        String access = rotated.getString("access_token");
        given().auth().oauth2(access).get(suite.inventory.url() + "/inventory/items/BOOK-001").then().statusCode(200);
        // RFC 9700 §4.14.2: the first token again is reuse; the family, its new token and its access tokens go.
        refresh(signedIn.getString("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(rotated.getString("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        awaitRefused(access, suite.inventory.url() + "/inventory/items/BOOK-001");
        awaitRefused(access, suite.orders.url() + "/orders");
    }

    @Test
    @Order(5)
    void revocationOnClusterThenBothResourceServicesRefuseTheToken() throws Exception {
        String token = suite.demoCliToken(SCOPE);
        given().auth().oauth2(token).get(suite.orders.url() + "/orders").then().statusCode(200);
        given().auth().preemptive().basic("demo-cli", "demo-cli-secret").contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post(suite.auth.url() + "/oauth2/revoke").then().statusCode(200);
        awaitRefused(token, suite.orders.url() + "/orders");
        awaitRefused(token, suite.inventory.url() + "/inventory/items/BOOK-001");
    }

    @Test
    @Order(6)
    void afterTheFlowsThenKeysAreSpreadOverEveryPrimary() {
        List<Long> keys = redis.keysPerNode();
        System.out.printf("%nKeys per primary of the Redis Cluster after the flows: %s%n", keys);
        assertTrue(keys.stream().allMatch(n -> n > 0), "every primary holds some of the suite's keys: " + keys);
    }

    private static void awaitRefused(String token, String url) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (given().auth().oauth2(token).get(url).statusCode() == 401) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(url + " still accepts the revoked token after 3 s");
    }
}
