package io.authsuite.auth.store;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** auth-service may touch only its own keys in Redis (issue 11 item 7); the checks are in the base class. */
@QuarkusTest
class RedisUserTest extends io.authsuite.testing.RedisUserTest {

    RedisUserTest() {
        super("auth-service", "auth:", List.of(),
                List.of("orders:order:o1", "orders:idempotency:k", "inventory:item:BOOK-001", "inventory:reservation:r1"));
    }
}
