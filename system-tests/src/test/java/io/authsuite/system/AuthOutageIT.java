package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * With auth-service stopped, orders-service and inventory-service keep serving requests with valid tokens: they
 * verify with cached keys, and orders-service reserves stock with its cached service token. Readiness says what
 * is degraded. A suite of its own, since it stops auth-service.
 */
@Order(Integer.MAX_VALUE - 1)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@FaultSuite
class AuthOutageIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.startPrivate();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    /** A fresh orders-service under a burst of orders fetches its service token once, not once per caller. */
    @Test
    @Order(1)
    void burstOfOrdersOnAFreshServiceThenOneServiceTokenRequest() throws Exception {
        String token = given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        var go = new java.util.concurrent.CountDownLatch(1);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return given().auth().oauth2(token).contentType("application/json")
                            .body("{\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1}]}")
                            .post(suite.orders.url() + "/orders").statusCode();
                }));
            }
            go.countDown();
            for (var r : results) {
                org.junit.jupiter.api.Assertions.assertEquals(201, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        org.junit.jupiter.api.Assertions.assertEquals(1, suite.tokensIssuedTo("orders-service"), "service tokens fetched");
    }

    @Test
    @Order(2)
    void authServiceDownThenValidTokensServedAndPersonsFirstOrderAuthUnavailable() throws Exception {
        String token = given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.auth.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
        String body = "{\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":1}]}";
        // Warm both caches: the JWKS in each service and orders-service's own client-credentials token.
        given().auth().oauth2(token).contentType("application/json").body(body).post(suite.orders.url() + "/orders")
                .then().statusCode(201);
        // Two people signed in; one has ordered, so orders-service holds the token it exchanged for them.
        String ordered = suite.accessTokenFor("alice", "alice-password", "openid orders:write inventory:read");
        String notYet = suite.accessTokenFor("alice", "alice-password", "openid orders:write inventory:read");
        given().auth().oauth2(ordered).contentType("application/json").body(body).post(suite.orders.url() + "/orders")
                .then().statusCode(201);

        suite.auth.close();

        given().auth().oauth2(token).contentType("application/json").body(body).post(suite.orders.url() + "/orders")
                .then().statusCode(201).body("status", equalTo("placed"));
        given().auth().oauth2(ordered).contentType("application/json").body(body).post(suite.orders.url() + "/orders")
                .then().statusCode(201);
        // A person's order needs their token exchanged, and auth-service is away: 503, and inventory is not blamed.
        for (int i = 0; i < 12; i++) {
            given().auth().oauth2(notYet).contentType("application/json").body(body).post(suite.orders.url() + "/orders")
                    .then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                    .body("error", equalTo("auth_unavailable"));
        }
        given().auth().oauth2(token).contentType("application/json").body(body).post(suite.orders.url() + "/orders")
                .then().statusCode(201);
        given().auth().oauth2(token).get(suite.inventory.url() + "/inventory/items/MUG-001").then().statusCode(200);
        // Readiness stays UP (cached keys and tokens still serve) and says auth-service is unreachable; the check
        // re-probes every 5 s.
        long deadline = System.currentTimeMillis() + 15_000;
        String readiness = "";
        while (!readiness.contains("unreachable") && System.currentTimeMillis() < deadline) {
            readiness = given().get(suite.orders.url() + "/q/health/ready").then().statusCode(200).extract().asString();
        }
        org.hamcrest.MatcherAssert.assertThat(readiness, containsString("unreachable"));
        given().auth().oauth2("not-a-token").get(suite.inventory.url() + "/inventory/items/MUG-001").then().statusCode(401);
    }
}
