package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ItemsResourceTest {

    private static final String AUD = "inventory-service";

    // The demo items (demo-items.json, seeded in the test profile) are read, never changed, by these tests.

    static String reader() {
        return TestIssuer.token("demo-cli", AUD, "inventory:read");
    }

    @Test
    void getItemWithReadScopeThenItem() {
        given().auth().oauth2(reader()).get("/inventory/items/BOOK-002")
                .then().statusCode(200)
                .body("sku", equalTo("BOOK-002"))
                .body("name", equalTo("Designing Data-Intensive Applications"))
                .body("stock", equalTo(10))
                .body("reserved", equalTo(0));
    }

    @Test
    void listItemsThenPageInSkuOrder() {
        // Every page, not the first: other test classes add items, and any number of them may sort first.
        java.util.List<String> skus = new java.util.ArrayList<>();
        long total;
        do {
            io.restassured.path.json.JsonPath page = given().auth().oauth2(reader()).queryParam("offset", skus.size())
                    .queryParam("limit", 100).get("/inventory/items").then().statusCode(200)
                    .body("limit", equalTo(100)).body("offset", equalTo(skus.size())).extract().jsonPath();
            java.util.List<String> items = page.getList("items.sku", String.class);
            total = page.getLong("total");
            if (items.isEmpty()) {
                break;
            }
            skus.addAll(items);
        } while (skus.size() < total);
        org.junit.jupiter.api.Assertions.assertTrue(skus.containsAll(java.util.List.of("BOOK-001", "USB-001")), skus::toString);
        org.junit.jupiter.api.Assertions.assertEquals(skus.stream().sorted().toList(), skus);
        org.junit.jupiter.api.Assertions.assertEquals(total, skus.size());
    }

    @Test
    void listItemsWhenLimitInvalidThenBadRequestNamingField() {
        given().auth().oauth2(reader()).queryParam("limit", "lots").get("/inventory/items")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(reader()).queryParam("limit", 100_000).get("/inventory/items")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void getItemWhenUnknownThenNotFoundProblem() {
        given().auth().oauth2(reader()).get("/inventory/items/NOPE-404")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void getItemWhenSkuMalformedThenBadRequest() {
        given().auth().oauth2(reader()).get("/inventory/items/%20bad%20sku")
                .then().statusCode(400).body("errors[0].field", equalTo("sku"));
    }

    @Test
    void requestWithoutTokenThenBearerChallengeWithoutErrorCode() {
        // RFC 6750 §3.1: no error code without credentials; RFC 9449 §7.1: DPoP offered beside Bearer.
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("Bearer realm=\"inventory-service\"",
                io.authsuite.testing.AccessModel.DPOP_CHALLENGE), given().get("/inventory/items/BOOK-002")
                .then().statusCode(401).extract().headers().getValues("WWW-Authenticate"));
    }

    @Test
    void requestWithGarbageTokenThenInvalidToken() {
        given().auth().oauth2("not.a.jwt").get("/inventory/items/BOOK-002")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"))
                .body("code", equalTo("TOKEN_INVALID"));
    }

    @Test
    void requestWithExpiredTokenThenInvalidTokenMarkedExpired() {
        long past = Instant.now().minusSeconds(3600).getEpochSecond();
        String expired = TestIssuer.sign(TestIssuer.claims("demo-cli", AUD, "inventory:read")
                .issuedAt(past - 900).expiresAt(past));
        given().auth().oauth2(expired).get("/inventory/items/BOOK-002")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .header("WWW-Authenticate", containsString("expired"))
                .body("error", equalTo("invalid_token"))
                .body("code", equalTo("TOKEN_EXPIRED"));
    }

    @Test
    void requestWithOtherAudienceThenInvalidToken() {
        given().auth().oauth2(TestIssuer.token("demo-cli", "orders-service", "inventory:read"))
                .get("/inventory/items/BOOK-002")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void requestWithOtherIssuerThenInvalidToken() {
        given().auth().oauth2(TestIssuer.sign(TestIssuer.claims("demo-cli", AUD, "inventory:read")
                        .issuer("https://evil.example")))
                .get("/inventory/items/BOOK-002")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void requestWithForgedSignatureThenInvalidToken() {
        given().auth().oauth2(TestIssuer.signWithUnknownKey(TestIssuer.claims("demo-cli", AUD, "inventory:read")))
                .get("/inventory/items/BOOK-002")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void requestWithoutScopeThenInsufficientScope() {
        given().auth().oauth2(TestIssuer.token("demo-cli", AUD, "inventory:reserve"))
                .get("/inventory/items/BOOK-002")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"inventory:read\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void scopeMatchingIsExactNotPrefix() {
        given().auth().oauth2(TestIssuer.token("demo-cli", AUD, "inventory", "inventory:readx"))
                .get("/inventory/items/BOOK-002")
                .then().statusCode(403);
    }

    @Test
    void unknownPathThenProblemNotStackTrace() {
        given().auth().oauth2(reader()).get("/inventory/nothing")
                .then().statusCode(404).body(not(containsString("Exception")));
    }

    @Test
    void readinessWithoutTokenThenUp() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
