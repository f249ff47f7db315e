package io.authsuite.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.inventory.domain.ReservationLine;
import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.testing.AccessModel;
import io.authsuite.testing.AccessTableTest;
import io.authsuite.testing.AccessModel.Call;
import io.authsuite.testing.AccessModel.Caller;
import io.authsuite.testing.AccessModel.Request;
import io.authsuite.testing.AccessModel.Rule;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The README's access table, row by row, against inventory-service: what it says is what is enforced. */
@QuarkusTest
class AccessModelTest extends AccessTableTest {

    @Inject
    InventoryStore store;

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
                                + "`POST .../{orderId}/confirm`, `.../commit`, `.../release`", "inventory:reserve",
                        "a service token", Caller.SERVICE,
                        Call.of("POST", "/inventory/reservations", owner -> Request.json("/inventory/reservations",
                                "{\"orderId\":\"" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"" + item(2)
                                        + "\",\"quantity\":2}]}"), 201)
                                .then(r -> r.body("status", equalTo("held"))),
                        Call.of("GET", "/inventory/reservations/{orderId}",
                                owner -> Request.of("/inventory/reservations/" + reservation()), 200),
                        Call.of("POST", "/inventory/reservations/{orderId}/confirm",
                                owner -> Request.of("/inventory/reservations/" + reservation() + "/confirm"), 200)
                                .then(r -> r.body("status", equalTo("reserved"))),
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

    private String item(long stock) {
        String sku = sku();
        store.createIfAbsent(sku, "Access check", stock);
        return sku;
    }

    /** A fresh held reservation of one unit. */
    private String reservation() {
        String orderId = UUID.randomUUID().toString();
        store.reserve(orderId, List.of(new ReservationLine(item(1), 1)));
        return orderId;
    }
}
