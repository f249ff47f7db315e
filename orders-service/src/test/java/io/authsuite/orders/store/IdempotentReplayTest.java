package io.authsuite.orders.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A replay of an Idempotency-Key against the take-back of its first request (whose save was not confirmed), on the
 * real Redis: whichever comes first decides, and a replay that answered for the order keeps it.
 */
@QuarkusTest
class IdempotentReplayTest {

    @Inject
    OrderStore orders;

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Order saved(String owner, String key) {
        Order order = new Order(UUID.randomUUID().toString(), owner, Order.PLACED,
                List.of(new OrderLine("BOOK-001", 1)), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        assertEquals(order.id(), orders.claimIdempotencyKey(owner, key, order.id(), WAIT).await().atMost(WAIT));
        assertTrue(orders.save(order, key).await().atMost(WAIT));
        return order;
    }

    @Test
    void replayWhenItAnswersBeforeTheTakeBackThenTheOrderStands() {
        String owner = "replayer-" + UUID.randomUUID();
        Order order = saved(owner, "k1");

        OrderStore.Vouched vouched = orders.vouch(owner, "k1", order.id()).await().atMost(WAIT);
        assertEquals(OrderStore.Replay.STANDS, vouched.finding());
        assertEquals(order, vouched.order());
        assertTrue(orders.takeBack(order, "k1").await().atMost(WAIT), "the take-back leaves a vouched order");
        assertTrue(orders.findAsync(order.id()).await().atMost(WAIT).isPresent());
        assertTrue(orders.claimIdempotencyKey(owner, "k1", UUID.randomUUID().toString(), WAIT).await().atMost(WAIT)
                .startsWith(OrderStore.VOUCHED_CLAIM), "the key stays spent on the order");
    }

    @Test
    void replayWhenTheTakeBackCameFirstThenKeyFreeNotTheOrder() {
        String owner = "replayer-" + UUID.randomUUID();
        Order order = saved(owner, "k2");

        assertFalse(orders.takeBack(order, "k2").await().atMost(WAIT));
        assertEquals(OrderStore.Replay.KEY_FREE, orders.vouch(owner, "k2", order.id()).await().atMost(WAIT).finding());
        assertTrue(orders.findAsync(order.id()).await().atMost(WAIT).isEmpty());
    }

    @Test
    void replayWhenTheOrderWasDeletedSinceThenGone() {
        String owner = "replayer-" + UUID.randomUUID();
        Order order = saved(owner, "k3");

        orders.deleteAsync(order).await().atMost(WAIT);
        assertEquals(OrderStore.Replay.GONE, orders.vouch(owner, "k3", order.id()).await().atMost(WAIT).finding());
    }
}
