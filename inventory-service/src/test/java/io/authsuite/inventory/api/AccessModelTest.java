package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.testing.AccessModel;
import io.authsuite.testing.AccessTableTest;
import io.authsuite.testing.AccessModel.Call;
import io.authsuite.testing.AccessModel.Caller;
import io.authsuite.testing.AccessModel.Request;
import io.authsuite.testing.AccessModel.Rule;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The README's access table, row by row, against inventory-service: what it says is what is enforced. */
@QuarkusTest
class AccessModelTest extends AccessTableTest {

    @Override
    protected String pathPrefix() {
        return "/inventory/";
    }

    @Override
    protected AccessModel model(Set<String> scopes) {
        return new AccessModel("inventory-service", "orders-service", scopes, List.of(
                Rule.of("`GET /inventory/items`, `GET /inventory/items/{sku}`", "inventory:read", "", Caller.ANYONE,
                        Call.of("GET", "/inventory/items", owner -> Request.of("/inventory/items?limit=5"), 200),
                        Call.of("GET", "/inventory/items/{sku}", owner -> Request.of("/inventory/items/" + item(3)), 200)
                                .then(r -> r.body("stock", equalTo(3)))),
                Rule.of("`PUT /inventory/items/{sku}`, `POST /inventory/items/{sku}/discontinue`", "inventory:write",
                        "role `admin`", Caller.ADMIN,
                        Call.of("PUT", "/inventory/items/{sku}", owner -> Request.json("/inventory/items/" + sku(),
                                "{\"name\":\"Lamp\",\"price\":{\"amount\":1999,\"currency\":\"EUR\"},\"stock\":4}"), 201),
                        Call.of("POST", "/inventory/items/{sku}/discontinue",
                                owner -> Request.of("/inventory/items/" + item(1) + "/discontinue"), 200)
                                .then(r -> r.body("status", equalTo("discontinued")))),
                Rule.of("`POST /inventory/reservations`, `GET /inventory/reservations/{orderId}`, "
                                + "`POST .../{orderId}/confirm`, `.../commit`, `.../release`, `POST .../confirmations`",
                        "inventory:reserve",
                        "a service token; for `POST /inventory/reservations` also a token the service obtained for a "
                                + "person by token exchange (`act`)", Caller.SERVICE,
                        Call.of("POST", "/inventory/reservations", owner -> Request.json("/inventory/reservations",
                                "{\"orderId\":\"" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"" + item(2)
                                        + "\",\"quantity\":2}]}"), 201)
                                .then(r -> r.body("status", equalTo("held"))),
                        Call.of("GET", "/inventory/reservations/{orderId}",
                                owner -> Request.of("/inventory/reservations/" + reservation()), 200),
                        Call.of("POST", "/inventory/reservations/{orderId}/confirm",
                                owner -> Request.of("/inventory/reservations/" + reservation() + "/confirm"), 200)
                                .then(r -> r.body("status", equalTo("reserved"))),
                        Call.of("POST", "/inventory/reservations/confirmations",
                                owner -> Request.json("/inventory/reservations/confirmations",
                                        "{\"orderIds\":[\"" + reservation() + "\"]}"), 200)
                                .then(r -> r.body("results[0].outcome", equalTo("confirmed"))),
                        Call.of("POST", "/inventory/reservations/{orderId}/commit",
                                owner -> Request.of("/inventory/reservations/" + reservation() + "/commit"), 200)
                                .then(r -> r.body("status", equalTo("committed"))),
                        Call.of("POST", "/inventory/reservations/{orderId}/release",
                                owner -> Request.of("/inventory/reservations/" + reservation() + "/release"), 200)
                                .then(r -> r.body("status", equalTo("released"))))));
    }

    private static String sku() {
        return "ACL-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A new item with {@code stock} units, created over the API by an admin: the test needs no bean of the service,
     * so {@link AccessModelIT} runs the same rows against the packaged (or native) executable.
     */
    private static String item(long stock) {
        String sku = sku();
        String admin = TestIssuer.sign(TestIssuer.claims("fixture-admin", "inventory-service", "inventory:write")
                .claim("client_id", "web-app").groups(Set.of("user", "admin")));
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"name\":\"Access check\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},"
                        + "\"stock\":" + stock + "}")
                .put("/inventory/items/" + sku).then().statusCode(201);
        return sku;
    }

    /** A fresh held reservation of one unit, made by a service as orders-service makes it. */
    private static String reservation() {
        String orderId = UUID.randomUUID().toString();
        given().auth().oauth2(TestIssuer.token("orders-service", "inventory-service", "inventory:reserve"))
                .contentType("application/json")
                .body("{\"orderId\":\"" + orderId + "\",\"lines\":[{\"sku\":\"" + item(1) + "\",\"quantity\":1}]}")
                .post("/inventory/reservations").then().statusCode(201);
        return orderId;
    }
}
