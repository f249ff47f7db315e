package io.authsuite.orders.store;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.domain.Order;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Confirms the reservations of stored orders whose confirm call failed, before inventory-service lets their hold
 * lapse. A hold that lapsed anyway means the order lost its stock: it is cancelled rather than left promising
 * goods that were given back.
 */
@ApplicationScoped
public class ReservationConfirmations {

    private static final Logger LOG = Logger.getLogger(ReservationConfirmations.class);

    private final OrderStore orders;
    private final InventoryClient inventory;

    public ReservationConfirmations(OrderStore orders, InventoryClient inventory) {
        this.orders = orders;
        this.inventory = inventory;
    }

    @Scheduled(every = "${orders.confirm-retry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        for (String id : orders.unconfirmed()) {
            try {
                inventory.confirm(id);
                orders.confirmed(id);
            } catch (InventoryClient.ReservationStateException lapsed) {
                orders.find(id).filter(o -> o.status().equals(Order.PLACED))
                        .ifPresent(o -> orders.transition(Order.PLACED, o.withStatus(Order.CANCELLED)));
                orders.confirmed(id);
                LOG.warnf("Order %s cancelled: its stock reservation lapsed before it could be confirmed", id);
            } catch (RuntimeException unavailable) {
                return;
            }
        }
    }
}
