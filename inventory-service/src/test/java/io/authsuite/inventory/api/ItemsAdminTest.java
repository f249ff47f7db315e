package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ItemsAdminTest {

    private static final String AUD = "inventory-service";

    static String admin() {
        return TestIssuer.sign(TestIssuer.claims("admin-sub", AUD, "inventory:write", "inventory:read")
                .claim("client_id", "web-app").groups("admin"));
    }

    static String sku() {
        return "ADM-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(String name, long amount, String currency, long stock) {
        return "{\"name\":\"" + name + "\",\"price\":{\"amount\":" + amount + ",\"currency\":\"" + currency
                + "\"},\"stock\":" + stock + "}";
    }

    @Test
    void putWhenNewThenCreatedAndWhenExistingThenUpdated() {
        String sku = sku();
        given().auth().oauth2(admin()).contentType("application/json").body(body("Lamp", 2599, "EUR", 4))
                .put("/inventory/items/" + sku).then().statusCode(201)
                .header("Location", containsString("/inventory/items/" + sku))
                .body("price.amount", equalTo(2599)).body("price.currency", equalTo("EUR"))
                .body("stock", equalTo(4)).body("status", equalTo("active"));
        given().auth().oauth2(admin()).contentType("application/json").body(body("Desk lamp", 2499, "EUR", 9))
                .put("/inventory/items/" + sku).then().statusCode(200)
                .body("name", equalTo("Desk lamp")).body("stock", equalTo(9));
    }

    @Test
    void putWhenRedisFullThenServiceUnavailableWithRetryAfterAndNothingStored() {
        String sku = sku();
        // A Redis at its maxmemory with noeviction (k8s/base/redis.conf) refuses every write with an OOM error.
        RedisTestResource.server().command("CONFIG", "SET", "maxmemory", "1");
        try {
            given().auth().oauth2(admin()).contentType("application/json").body(body("Lamp", 2599, "EUR", 4))
                    .put("/inventory/items/" + sku).then().statusCode(503)
                    .header("Retry-After", notNullValue())
                    .contentType("application/problem+json").body("status", equalTo(503));
        } finally {
            RedisTestResource.server().command("CONFIG", "SET", "maxmemory", "0");
        }
        given().auth().oauth2(admin()).get("/inventory/items/" + sku).then().statusCode(404);
    }

    @Test
    void putWhenInputInvalidThenBadRequestNamingField() {
        String sku = sku();
        record Case(String body, String field) {
        }
        for (Case c : new Case[] {
                new Case(body("", 1, "EUR", 1), "name"),
                new Case(body("x", -1, "EUR", 1), "price.amount"),
                new Case(body("x", 1, "euro", 1), "price.currency"),
                new Case(body("x", 1, "EUR", -5), "stock"),
                new Case("{\"name\":\"x\",\"price\":{\"amount\":1,\"currency\":\"EUR\"}}", "stock"),
                new Case("{\"name\":\"x\",\"price\":{\"amount\":\"lots\",\"currency\":\"EUR\"},\"stock\":1}", "price.amount")}) {
            given().auth().oauth2(admin()).contentType("application/json").body(c.body())
                    .put("/inventory/items/" + sku).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(c.field()));
        }
    }

    @Test
    void putByPersonWithoutAdminRoleOrWithoutScopeThenForbidden() {
        String user = TestIssuer.sign(TestIssuer.claims("user-sub", AUD, "inventory:write").claim("client_id", "web-app")
                .groups("user"));
        given().auth().oauth2(user).contentType("application/json").body(body("x", 1, "EUR", 1))
                .put("/inventory/items/" + sku()).then().statusCode(403);
        String adminWithoutScope = TestIssuer.sign(TestIssuer.claims("admin-sub", AUD, "inventory:read")
                .claim("client_id", "web-app").groups("admin"));
        given().auth().oauth2(adminWithoutScope).contentType("application/json").body(body("x", 1, "EUR", 1))
                .put("/inventory/items/" + sku()).then().statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"inventory:write\""));
    }

    @Test
    void discontinueThenStatusAndNoNewReservations() {
        String sku = sku();
        given().auth().oauth2(admin()).contentType("application/json").body(body("Old", 100, "EUR", 5))
                .put("/inventory/items/" + sku).then().statusCode(201);
        given().auth().oauth2(admin()).post("/inventory/items/" + sku + "/discontinue").then().statusCode(200)
                .body("status", equalTo("discontinued"));
        given().auth().oauth2(TestIssuer.token("orders-service", AUD, "inventory:reserve")).contentType("application/json")
                .body("{\"orderId\":\"d-" + sku + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")
                .post("/inventory/reservations").then().statusCode(409).body("error", equalTo("item_discontinued"));
        given().auth().oauth2(admin()).post("/inventory/items/NOPE-" + sku + "/discontinue").then().statusCode(404);
    }
}
