package io.authsuite.orders.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.redis.KeyLayout;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReservationConfirmationsTest {

    @Inject
    ReservationConfirmations confirmations;

    @Inject
    OrderStore orders;

    @Test
    void unconfirmedIdWhoseOrderIsGoneThenDroppedWithoutConfirmingItsStock() {
        // The order was taken back by the request that placed it after the job read the set: nothing may confirm its
        // reservation. inventory-service is not running here, so a confirmation attempt would fail and keep the id.
        String id = UUID.randomUUID().toString();
        String unconfirmed = KeyLayout.of(RedisTestResource.server().clustered()).group("orders:", "orders")
                + "unconfirmed";
        RedisTestResource.server().command("SADD", unconfirmed, id);
        assertTrue(orders.unconfirmed().contains(id));
        confirmations.retry();
        assertFalse(orders.unconfirmed().contains(id), "an id without an order is dropped, not confirmed");
    }
}
