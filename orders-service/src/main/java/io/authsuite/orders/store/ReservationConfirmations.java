package io.authsuite.orders.store;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.config.OrdersConfig;
import io.authsuite.orders.domain.Order;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Confirms the reservations of stored orders whose confirm call failed, or whose process died before making it,
 * before inventory-service lets their hold lapse. A hold that lapsed anyway means the order lost its stock: it is cancelled rather than left promising
 * goods that were given back.
 */
@ApplicationScoped
public class ReservationConfirmations {

    private static final Logger LOG = Logger.getLogger(ReservationConfirmations.class);

    private final OrderStore orders;
    private final InventoryClient inventory;
    private final java.time.Duration confirmAfter;

    public ReservationConfirmations(OrderStore orders, InventoryClient inventory, OrdersConfig config,
                                    @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s")
                                    java.time.Duration redisTimeout) {
        this.orders = orders;
        this.inventory = inventory;
        this.confirmAfter = config.confirmAfter().orElseGet(() -> requestBound(redisTimeout));
    }

    /**
     * The longest {@code POST /orders} can take from its order's creation to the release of a take-back: the token
     * exchange (3 s), the reserve and the release with their retries (3 × 3 s and two delays of up to 300 ms each),
     * then the save, the take-back and the read after a failed take-back, each bounded by the Redis timeout; with 3 s
     * to spare. 55 s with the default 10 s, well inside inventory's 5-minute hold.
     */
    static java.time.Duration requestBound(java.time.Duration redisTimeout) {
        return java.time.Duration.ofSeconds(3 + 2 * 10 + 2).plus(redisTimeout.multipliedBy(3));
    }

    @Scheduled(every = "${orders.confirm-retry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        // Every order is stored unconfirmed first: one its request may still take back is left to that request.
        java.time.Instant settled = java.time.Instant.now().minus(confirmAfter);
        java.util.List<String> due = new java.util.ArrayList<>();
        for (String id : orders.unconfirmed()) {
            java.util.Optional<Order> order = orders.find(id);
            if (order.isEmpty()) {
                // Taken back by the request that placed it since the set was read (or deleted): there is no order to
                // hold stock for. Its hold lapses at inventory-service on its own; confirming it would keep the stock
                // reserved for good if that request's release did not get through.
                orders.confirmed(id);
            } else if (!order.get().createdAt().isAfter(settled)) {
                due.add(id);
            }
        }
        // A backlog (a batch circuit that opened, a replica that died with its queue) is confirmed in inventory's
        // batches, not a call per order, so that it is done before the holds lapse; each replica in its own order, so
        // that replicas working on the same backlog do not all start with the same orders.
        java.util.Collections.shuffle(due, java.util.concurrent.ThreadLocalRandom.current());
        for (int from = 0; from < due.size(); from += ConfirmationBatcher.MAX_BATCH) {
            java.util.List<InventoryClient.Confirmation> results;
            try {
                results = inventory.confirmAll(due.subList(from, Math.min(due.size(), from + ConfirmationBatcher.MAX_BATCH)))
                        .await().indefinitely();
            } catch (RuntimeException unavailable) {
                // No more calls this round: the next one starts again.
                return;
            }
            for (InventoryClient.Confirmation result : results) {
                if (result.confirmed()) {
                    orders.confirmed(result.orderId());
                } else if (result.givenBack()) {
                    orders.find(result.orderId()).filter(o -> o.status().equals(Order.PLACED))
                            .ifPresent(o -> orders.transition(Order.PLACED, o.withStatus(Order.CANCELLED)));
                    orders.confirmed(result.orderId());
                    LOG.warnf("Order %s cancelled: its stock was given back before it could be confirmed (the hold "
                            + "lapsed, or the item was discontinued)", result.orderId());
                }
            }
        }
    }
}
