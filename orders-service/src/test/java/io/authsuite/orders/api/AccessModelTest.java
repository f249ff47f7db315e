package io.authsuite.orders.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.authsuite.orders.domain.Order;
import io.authsuite.redis.KeyLayout;
import io.authsuite.testing.AccessModel;
import io.authsuite.testing.AccessTableTest;
import io.authsuite.testing.AccessModel.Call;
import io.authsuite.testing.AccessModel.Caller;
import io.authsuite.testing.AccessModel.Request;
import io.authsuite.testing.AccessModel.Rule;
import io.authsuite.testing.RedisServer;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The README's access table, row by row, against orders-service. inventory-service is not running here, so the
 * fixtures are orders (written straight into Redis) whose allowed operation needs no stock call (a replayed Idempotency-Key, an order already
 * cancelled or fulfilled); the system tests run the same operations across the real services.
 */
@QuarkusTest
class AccessModelTest extends AccessTableTest {

    @Override
    protected String pathPrefix() {
        return "/orders";
    }

    @Override
    protected AccessModel model(Set<String> scopes) {
        return new AccessModel("orders-service", "inventory-service", scopes, List.of(
                Rule.of("`POST /orders` (optional `Idempotency-Key`)", "orders:write",
                        "the order belongs to the token's `sub`", Caller.PERSON,
                        Call.of("POST", "/orders", AccessModelTest::replayOfOwnOrder, 201)
                                .then((owner, r) -> r.body("owner", equalTo(owner))
                                        .header("Idempotent-Replayed", equalTo("true")))),
                Rule.of("`GET /orders`", "orders:read", "own orders; role `admin` sees all", Caller.PERSON,
                        Call.of("GET", "/orders", owner -> {
                            order(owner, Order.PLACED);
                            return Request.of("/orders");
                        }, 200).then((owner, r) -> r.body("total", greaterThanOrEqualTo(1)).body("items.owner", everyItem(equalTo(owner))))),
                Rule.of("`GET /orders/{id}`", "orders:read", "owner or role `admin` (others get 404)",
                        Caller.OWNER_OR_ADMIN,
                        Call.of("GET", "/orders/{id}", owner -> Request.of("/orders/" + order(owner, Order.PLACED)), 200)
                                .then((owner, r) -> r.body("owner", equalTo(owner)))),
                Rule.of("`POST /orders/{id}/cancel`", "orders:write", "owner or role `admin`", Caller.OWNER_OR_ADMIN,
                        Call.of("POST", "/orders/{id}/cancel",
                                owner -> Request.of("/orders/" + order(owner, Order.CANCELLED) + "/cancel"), 200)
                                .then(r -> r.body("status", equalTo("cancelled")))),
                Rule.of("`POST /orders/{id}/fulfil`, `DELETE /orders/{id}`", "orders:write", "role `admin`", Caller.ADMIN,
                        Call.of("POST", "/orders/{id}/fulfil",
                                owner -> Request.of("/orders/" + order(owner, Order.FULFILLED) + "/fulfil"), 200)
                                .then(r -> r.body("status", equalTo("fulfilled"))),
                        Call.of("DELETE", "/orders/{id}",
                                owner -> Request.of("/orders/" + order(owner, Order.CANCELLED)), 204)),
                Rule.of("`POST /orders/cancellations`", "orders:cancel",
                        "a service token (inventory-service, when an item is discontinued)", Caller.SERVICE,
                        Call.of("POST", "/orders/cancellations", owner -> Request.json("/orders/cancellations",
                                "{\"sku\":\"ACL-" + UUID.randomUUID().toString().substring(0, 8) + "\"}"), 200)
                                .then(r -> r.body("cancelled", greaterThanOrEqualTo(0))))));
    }

    /**
     * An order stored as orders-service stores it, written by the Redis operator: the test needs no bean of the
     * service, so {@link AccessModelIT} runs the same rows against the packaged (or native) executable.
     */
    private static String order(String owner, String status) {
        String id = UUID.randomUUID().toString();
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String json = ("{\"id\":\"%s\",\"owner\":\"%s\",\"status\":\"%s\","
                + "\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}],\"createdAt\":\"%s\"}")
                .formatted(id, owner, status, created);
        String ms = Long.toString(created.toEpochMilli());
        RedisServer redis = RedisTestResource.server();
        String orders = keys();
        redis.command("SET", orders + "order:" + id, json);
        redis.command("ZADD", orders + "owner:" + owner, ms, id);
        redis.command("ZADD", orders + "all", ms, id);
        redis.command("SADD", orders + "sku:BOOK-001", id);
        return id;
    }

    /** The prefix of orders-service's keys, with its hash tag when the test Redis runs as a cluster. */
    private static String keys() {
        return KeyLayout.of(RedisTestResource.server().clustered()).group("orders:", "orders");
    }

    /** An order the owner placed earlier with an Idempotency-Key; sending the same request again replays it. */
    private static Request replayOfOwnOrder(String owner) {
        String key = "acl-" + UUID.randomUUID();
        String id = order(owner, Order.PLACED);
        RedisTestResource.server().command("SET", keys() + "idempotency:" + owner + ":" + key, id, "EX", "86400");
        return Request.json("/orders", "{\"lines\":[{\"sku\":\"BOOK-001\",\"quantity\":1}]}")
                .withHeader("Idempotency-Key", key);
    }
}
