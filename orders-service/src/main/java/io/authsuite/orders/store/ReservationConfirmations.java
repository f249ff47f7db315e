package io.authsuite.orders.store;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.config.OrdersConfig;
import io.authsuite.orders.domain.Order;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
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
    private final OrdersConfig config;

    public ReservationConfirmations(OrderStore orders, InventoryClient inventory, OrdersConfig config) {
        this.orders = orders;
        this.inventory = inventory;
        this.config = config;
    }

    @Scheduled(every = "${orders.confirm-retry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        // Every order is stored unconfirmed first: one younger than the Idempotency-Key lease may still be in the hands
        // of the request that placed it (which may yet take it back), so it is left to that request.
        java.time.Instant settled = java.time.Instant.now().minus(config.idempotencyLease());
        boolean inventoryUnavailable = false;
        for (String id : orders.unconfirmed()) {
            java.util.Optional<Order> order = orders.find(id);
            if (order.isEmpty()) {
                // Taken back by the request that placed it since the set was read (or deleted): there is no order to
                // hold stock for. Its hold lapses at inventory-service on its own; confirming it would keep the stock
                // reserved for good if that request's release did not get through.
                orders.confirmed(id);
                continue;
            }
            if (inventoryUnavailable || order.get().createdAt().isAfter(settled)) {
                continue;
            }
            try {
                inventory.confirm(id).await().indefinitely();
                orders.confirmed(id);
            } catch (InventoryClient.ReservationStateException lapsed) {
                orders.find(id).filter(o -> o.status().equals(Order.PLACED))
                        .ifPresent(o -> orders.transition(Order.PLACED, o.withStatus(Order.CANCELLED)));
                orders.confirmed(id);
                LOG.warnf("Order %s cancelled: its stock was given back before it could be confirmed (the hold "
                        + "lapsed, or the item was discontinued)", id);
            } catch (RuntimeException unavailable) {
                // No more calls this round; the ids without an order are still dropped.
                inventoryUnavailable = true;
            }
        }
    }
}
