package io.authsuite.orders.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refusals of orders-service that need nothing but the HTTP API: missing, wrong or weak tokens, bad input. */
@QuarkusTest
class OrdersSecurityTest {

    private static final String AUD = "orders-service";

    static String writer(String subject) {
        return TestIssuer.token(subject, AUD, "orders:write", "orders:read");
    }

    @Test
    void placeOrderWhenInventoryUnavailableThenServiceUnavailable() {
        given().auth().oauth2(writer("demo-cli")).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .post("/orders")
                .then().statusCode(503).header("Retry-After", equalTo("5")).body("error", equalTo("inventory_unavailable"));
    }

    @Test
    void placeOrderWithoutTokenThenUnauthorized() {
        given().contentType("application/json").body("{\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}")
                .post("/orders")
                .then().statusCode(401);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("Bearer realm=\"orders-service\"",
                io.authsuite.testing.AccessModel.DPOP_CHALLENGE), given().contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}").post("/orders").then().statusCode(401)
                .extract().headers().getValues("WWW-Authenticate"));
    }

    @Test
    void placeOrderWithReadScopeOnlyThenInsufficientScope() {
        given().auth().oauth2(TestIssuer.token("demo-cli", AUD, "orders:read"))
                .contentType("application/json").body("{\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}")
                .post("/orders")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"orders:write\""));
    }

    @Test
    void placeOrderWithTokenForInventoryThenInvalidToken() {
        given().auth().oauth2(TestIssuer.token("demo-cli", "inventory-service", "orders:write"))
                .contentType("application/json").body("{\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}")
                .post("/orders")
                .then().statusCode(401).header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void placeOrderWhenBodyHasTrailingJsonDocumentThenBadRequestProblem() {
        // Without the refusal the first document is read and the order placed (here: 503, no inventory).
        for (String trailer : List.of("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":9}]}", "[]", "1", "x")) {
            given().auth().oauth2(writer("demo-cli")).contentType("application/json")
                    .body("{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}" + trailer)
                    .post("/orders")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("errors[0].field", equalTo("body"));
        }
    }

    @Test
    void placeOrderWhenInputInvalidThenBadRequestNamingField() {
        record Case(String body, String field) {
        }
        StringBuilder many = new StringBuilder("{\"lines\":[");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("{\"sku\":\"A\",\"quantity\":1}");
        }
        many.append("]}");
        for (Case c : List.of(
                new Case("{\"lines\":[]}", "lines"),
                new Case("{}", "lines"),
                new Case(many.toString(), "lines"),
                new Case("{\"lines\":[{\"sku\":\"A\",\"quantity\":0}]}", "lines[0].quantity"),
                new Case("{\"lines\":[{\"sku\":\"A\",\"quantity\":-3}]}", "lines[0].quantity"),
                new Case("{\"lines\":[{\"sku\":\"A\"}]}", "lines[0].quantity"),
                new Case("{\"lines\":[{\"sku\":\"A\",\"quantity\":1},{\"quantity\":1}]}", "lines[1].sku"),
                new Case("{\"lines\":[{\"sku\":\"A\",\"quantity\":1.5e400}]}", "lines[0].quantity"),
                new Case("{\"lines\":[{\"sku\":\"A\",\"quantity\":\"two\"}]}", "lines[0].quantity"),
                new Case("{\"lines\":[{\"sku\":\"A\",\"quantity\":\"2\"}]}", "lines[0].quantity"),
                new Case("{\"lines\":[{\"sku\":\"A\",\"quantity\":1.5}]}", "lines[0].quantity"),
                new Case("{\"lines\":[{\"sku\":7,\"quantity\":1}]}", "lines[0].sku"),
                new Case("{\"lines\":", "body"),
                new Case("not json", "body"))) {
            given().auth().oauth2(writer("demo-cli")).contentType("application/json").body(c.body())
                    .post("/orders")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(c.field()));
        }
    }
}
