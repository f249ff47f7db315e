package io.authsuite.orders.store;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** orders-service may touch only its own keys in Redis (issue 11 item 7); the checks are in the base class. */
@QuarkusTest
class RedisUserTest extends io.authsuite.testing.RedisUserTest {

    RedisUserTest() {
        super("orders-service", "orders:", List.of("auth:denied", "auth:revocations"),
                List.of("auth:user:alice", "auth:session:s1", "auth:client:web-app", "auth:refresh:r1", "inventory:item:BOOK-001"));
    }
}
