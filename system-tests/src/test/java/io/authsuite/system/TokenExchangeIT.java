package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person's order reserves stock in their name: orders-service exchanges the person's access token at auth-service
 * (RFC 8693, through quarkus-oidc-client's exchange grant) for a token at inventory-service, which records the person
 * and the acting service with the reservation. A service's order still reserves with orders-service's own token.
 */
class TokenExchangeIT {

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
    }

    private static JsonPath reservation(String orderId) {
        return new JsonPath(suite.redis.command("GET", "inventory:reservation:" + orderId));
    }

    private static String order(String token, String sku) {
        return given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")
                .post(suite.orders.url() + "/orders").then().statusCode(201).extract().path("id");
    }

    private static int exchanges() {
        String metrics = given().get(suite.auth.url() + "/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "^authsuite_tokens_issued_total\\{([^}]*)} ([0-9.]+)$", java.util.regex.Pattern.MULTILINE).matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains("client_id=\"orders-service\"")
                    && m.group(1).contains("grant_type=\"urn:ietf:params:oauth:grant-type:token-exchange\"")) {
                return (int) Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    @Test
    void personsOrderThenInventoryRecordsThePersonAndOrdersServiceAsActor() throws Exception {
        String sku = suite.newItem("EXCHANGE", 10);
        JsonPath signedIn = suite.signIn("alice", "alice-password", "openid orders:read orders:write inventory:read");
        String person = signedIn.getString("access_token");
        String alice = new JsonPath(new String(java.util.Base64.getUrlDecoder().decode(person.split("\\.")[1])))
                .getString("sub");
        int before = exchanges();
        JsonPath first = reservation(order(person, sku));
        assertEquals(alice, first.getString("reservedBy"));
        assertEquals("orders-service", first.getString("via"));
        // A second order with the same token reuses the exchanged token.
        JsonPath second = reservation(order(person, sku));
        assertEquals(alice, second.getString("reservedBy"));
        assertEquals(1, exchanges() - before, "one exchange for two orders with one person's token");
    }

    @Test
    void servicesOrderThenReservedAsOrdersServiceWithoutActor() throws Exception {
        String sku = suite.newItem("EXCHANGE-SVC", 10);
        JsonPath reserved = reservation(order(suite.demoCliToken("orders:write"), sku));
        assertEquals("orders-service", reserved.getString("reservedBy"));
        assertFalse(reserved.getMap("").containsKey("via"));
    }

    @Test
    void personsTokenExpiredWithinOrdersClockSkewThenOrderRefused401TokenExpiredNotInventoryUnavailable()
            throws Exception {
        String sku = suite.newItem("EXCHANGE-EXP", 10);
        // A replica that issues two-second access tokens, on the same Redis and keys: its token expires at
        // auth-service while orders-service, which allows 30 s of clock skew, still takes it.
        try (io.authsuite.testing.ServiceProcess shortLived = suite.startReplica("auth-service", "short-tokens",
                java.util.Map.of("AUTH_ACCESS_TOKEN_TTL", "PT2S"))) {
            String person = given().contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "authorization_code").formParam("client_id", "web-app")
                    .formParam("code", suite.code("alice", "alice-password", "openid orders:write inventory:read"))
                    .formParam("redirect_uri", "http://127.0.0.1:9999/callback")
                    .formParam("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                    .post(shortLived.url() + "/oauth2/token").then().statusCode(200).body("expires_in", equalTo(2))
                    .extract().path("access_token");
            Thread.sleep(3000);
            given().auth().oauth2(person).contentType("application/json")
                    .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}").post(suite.orders.url() + "/orders")
                    .then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", containsString("invalid_token"))
                    .body("error", equalTo("invalid_token"))
                    .body("code", equalTo("TOKEN_EXPIRED"));
        }
        // Nothing was held for it, and orders keep working.
        given().auth().oauth2(suite.demoCliToken("inventory:read")).get(suite.inventory.url() + "/inventory/items/" + sku)
                .then().statusCode(200).body("stock", equalTo(10)).body("reserved", equalTo(0));
        order(suite.demoCliToken("orders:write"), sku);
    }
}
