package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
                // Characters that hide or reorder what a person is shown: NUL, a right-to-left override.
                new Case(body("Book\\u0000", 1, "EUR", 1), "name"),
                new Case(body("Book\\u202e", 1, "EUR", 1), "name"),
                new Case(body("x", -1, "EUR", 1), "price.amount"),
                new Case(body("x", 1, "euro", 1), "price.currency"),
                new Case(body("x", 1, "EUR", -5), "stock"),
                new Case("{\"name\":\"x\",\"price\":{\"amount\":1,\"currency\":\"EUR\"}}", "stock"),
                new Case("{\"name\":\"x\",\"price\":{\"amount\":\"lots\",\"currency\":\"EUR\"},\"stock\":1}", "price.amount")}) {
            given().auth().oauth2(admin()).contentType("application/json").body(c.body())
                    .put("/inventory/items/" + sku).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(c.field()));
        }
        // Joiners stay: Persian, Indic and emoji text need them.
        given().auth().oauth2(admin()).contentType("application/json")
                .body(body("\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645 \\ud83d\\udc69\\u200d\\ud83d\\udcbb", 1, "EUR", 1))
                .put("/inventory/items/" + sku).then().statusCode(201);
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

    private static String etagOf(String sku) {
        return given().auth().oauth2(admin()).get("/inventory/items/" + sku).then().statusCode(200)
                .header("ETag", matchesPattern("\"[0-9a-f]{40}\"")).extract().header("ETag");
    }

    private static void create(String sku, long stock) {
        given().auth().oauth2(admin()).contentType("application/json").body(body("Lamp", 2599, "EUR", stock))
                .put("/inventory/items/" + sku).then().statusCode(201).header("ETag", nullValue());
    }

    @Test
    void putWhenIfMatchNamesCurrentTagThenUpdatedAndTheOldTagNoLongerMatches() {
        String sku = sku();
        create(sku, 10);
        String before = etagOf(sku);
        // RFC 9110 §9.3.4: no ETag in the PUT's success, as the stored item is not the body sent.
        given().auth().oauth2(admin()).contentType("application/json").header("If-Match", before)
                .body(body("Lamp", 2599, "EUR", 15)).put("/inventory/items/" + sku).then().statusCode(200)
                .body("stock", equalTo(15)).header("ETag", nullValue());
        String after = etagOf(sku);
        assertNotEquals(before, after);
        given().auth().oauth2(admin()).contentType("application/json").header("If-Match", before)
                .body(body("Lamp", 2599, "EUR", 20)).put("/inventory/items/" + sku).then().statusCode(412)
                .header("ETag", equalTo(after));
    }

    @Test
    void putWhenIfMatchReadBeforeAnOrderHeldStockThenPreconditionFailedAndTheHoldKept() {
        String sku = sku();
        create(sku, 10);
        String read = etagOf(sku);
        given().auth().oauth2(TestIssuer.token("orders-service", AUD, "inventory:reserve")).contentType("application/json")
                .body("{\"orderId\":\"m-" + sku + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":3}]}")
                .post("/inventory/reservations").then().statusCode(201);
        // The admin meant "5 more than the 10 I read": written, it would hand out the 3 held units a second time.
        String current = given().auth().oauth2(admin()).contentType("application/json").header("If-Match", read)
                .body(body("Lamp", 2599, "EUR", 15)).put("/inventory/items/" + sku).then().statusCode(412)
                .contentType("application/problem+json").body("status", equalTo(412))
                .body("title", equalTo("Precondition Failed")).body("error", equalTo("precondition_failed")).extract().header("ETag");
        given().auth().oauth2(admin()).get("/inventory/items/" + sku).then().statusCode(200)
                .header("ETag", equalTo(current)).body("stock", equalTo(7)).body("reserved", equalTo(3));
    }

    @Test
    void putWhenIfNoneMatchStarThenCreatesOnlyAndExistingItemUnchanged() {
        String sku = sku();
        given().auth().oauth2(admin()).contentType("application/json").header("If-None-Match", "*")
                .body(body("Lamp", 2599, "EUR", 4)).put("/inventory/items/" + sku).then().statusCode(201);
        given().auth().oauth2(admin()).contentType("application/json").header("If-None-Match", "*")
                .body(body("Other", 1, "EUR", 99)).put("/inventory/items/" + sku).then().statusCode(412)
                .contentType("application/problem+json");
        given().auth().oauth2(admin()).get("/inventory/items/" + sku).then().statusCode(200)
                .body("name", equalTo("Lamp")).body("stock", equalTo(4));
    }

    @Test
    void putWhenIfMatchAndNoSuchItemThenPreconditionFailedAndNothingCreated() {
        String sku = sku();
        for (String ifMatch : new String[] {"*", "\"0000000000000000000000000000000000000000\""}) {
            given().auth().oauth2(admin()).contentType("application/json").header("If-Match", ifMatch)
                    .body(body("Lamp", 2599, "EUR", 4)).put("/inventory/items/" + sku).then().statusCode(412)
                    .contentType("application/problem+json").header("ETag", nullValue());
        }
        given().auth().oauth2(admin()).get("/inventory/items/" + sku).then().statusCode(404);
    }

    @Test
    void putWhenIfMatchWeakOrAmongOthersThenOnlyAStrongMatchWrites() {
        String sku = sku();
        create(sku, 10);
        String tag = etagOf(sku);
        // RFC 9110 §13.1.1: If-Match compares strongly, so a weak tag never matches, even the current one.
        given().auth().oauth2(admin()).contentType("application/json").header("If-Match", "W/" + tag)
                .body(body("Lamp", 2599, "EUR", 11)).put("/inventory/items/" + sku).then().statusCode(412);
        given().auth().oauth2(admin()).contentType("application/json")
                .header("If-Match", "\"stale\", " + tag).body(body("Lamp", 2599, "EUR", 12))
                .put("/inventory/items/" + sku).then().statusCode(200).body("stock", equalTo(12));
    }

    @Test
    void putOrGetWhenPreconditionHeaderMalformedThenBadRequestNamingHeaderAndNothingWritten() {
        String sku = sku();
        create(sku, 10);
        for (String bad : new String[] {"abc", "\"unterminated", "\"a\"\"b\"", "\"a\" \"b\"", "W/", ",",
                "\"a b\""}) {
            given().auth().oauth2(admin()).contentType("application/json").header("If-Match", bad)
                    .body(body("Lamp", 2599, "EUR", 99)).put("/inventory/items/" + sku).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("If-Match"));
            given().auth().oauth2(admin()).header("If-None-Match", bad).get("/inventory/items/" + sku).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("If-None-Match"));
        }
        given().auth().oauth2(admin()).get("/inventory/items/" + sku).then().body("stock", equalTo(10));
    }

    @Test
    void getWhenIfNoneMatchNamesCurrentTagThenNotModifiedAndAfterAChangeThenTheItem() {
        String sku = sku();
        create(sku, 10);
        String tag = etagOf(sku);
        given().auth().oauth2(admin()).header("If-None-Match", "W/" + tag).get("/inventory/items/" + sku).then()
                .statusCode(304).header("ETag", equalTo(tag)).body(emptyString());
        given().auth().oauth2(admin()).contentType("application/json").body(body("Lamp", 2599, "EUR", 9))
                .put("/inventory/items/" + sku).then().statusCode(200);
        given().auth().oauth2(admin()).header("If-None-Match", tag).get("/inventory/items/" + sku).then()
                .statusCode(200).body("stock", equalTo(9)).header("ETag", not(equalTo(tag)));
    }
}
