package io.authsuite.orders.settle;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.config.OrdersConfig;
import io.authsuite.orders.domain.Order;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.redis.RedisFailures;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finishes the cancellations, fulfilments and deletions that stopped between their two writes (a process that died,
 * a Redis that refused the order's new status, an inventory-service that did not answer), on any replica. Each is
 * carried out as it was asked, and ends where inventory-service's stock says it must: a cancellation whose stock had
 * shipped (a fulfilment won the race) leaves the order {@code fulfilled}; a fulfilment whose stock is no longer held
 * leaves it {@code cancelled}, as {@code ReservationConfirmations} does for a lapsed hold. Every step is idempotent
 * (inventory per order id, the order by compare-and-set), so replicas that run this at once agree.
 */
@ApplicationScoped
public class SettlementRepairs {

    private static final Logger LOG = Logger.getLogger(SettlementRepairs.class);

    private final SettlementIntents intents;
    private final OrderStore orders;
    private final InventoryClient inventory;
    private final OrdersConfig config;

    public SettlementRepairs(SettlementIntents intents, OrderStore orders, InventoryClient inventory,
                             OrdersConfig config) {
        this.intents = intents;
        this.orders = orders;
        this.inventory = inventory;
        this.config = config;
    }

    @Scheduled(every = "${orders.settlement-retry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        repair();
    }

    /** One pass over the intents old enough to be left behind; returns how many it finished. */
    public int repair() {
        int finished = 0;
        try {
            // A younger intent may still be in the hands of its own request.
            for (SettlementIntents.Intent intent : intents.recordedBefore(Instant.now().minus(config.settlementRetryAfter()))) {
                try {
                    finish(intent);
                    finished++;
                } catch (InventoryClient.InventoryUnavailableException
                         | org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException e) {
                    // Every other intent needs inventory-service too: the next pass tries again.
                    LOG.debugf("Settlements wait for inventory-service: %s", e.getMessage());
                    return finished;
                } catch (RuntimeException e) {
                    if (RedisFailures.isUnavailable(e)) {
                        throw e;
                    }
                    // One intent that cannot be finished (a refused write, a corrupt order) must not hold up the ones
                    // after it: it stays recorded, and is tried again on every pass.
                    LOG.warnf("The %s of order %s could not be finished: %s", intent.target().noun(),
                            intent.orderId(), RedisFailures.describe(e));
                }
            }
        } catch (RuntimeException e) {
            if (!RedisFailures.isUnavailable(e)) {
                throw e;
            }
            LOG.debugf("Settlements wait for Redis: %s", RedisFailures.describe(e));
        }
        return finished;
    }

    private void finish(SettlementIntents.Intent intent) {
        String id = intent.orderId();
        Optional<Order> order = orders.find(id);
        boolean placed = order.map(o -> o.status().equals(Order.PLACED)).orElse(false);
        String outcome;
        switch (intent.target()) {
            case DELETED -> {
                if (placed) {
                    giveBack(id);
                }
                order.ifPresent(orders::delete);
                outcome = "deleted";
            }
            case CANCELLED -> outcome = placed ? settle(order.get(), giveBack(id) ? Order.FULFILLED : Order.CANCELLED)
                    : "already " + order.map(Order::status).orElse("deleted");
            case FULFILLED -> {
                Optional<Boolean> shipped = placed ? ship(id) : Optional.empty();
                outcome = !placed ? "already " + order.map(Order::status).orElse("deleted")
                        // As the live fulfilment answers reservation_lost: the order stays as it is, and the intent
                        // ends rather than holding every later change of the order behind it for ever.
                        : shipped.isEmpty() ? "not done: inventory-service does not know its reservation; the order "
                                + "is left placed"
                        : settle(order.get(), shipped.get() ? Order.FULFILLED : Order.CANCELLED);
            }
            default -> throw new IllegalStateException("unknown target " + intent.target());
        }
        intents.end(intent);
        LOG.infof("Order %s: the %s asked for at %s was finished by the repair job (%s)", id,
                intent.target().noun(), intent.since(), outcome);
    }

    /** Releases the order's stock; true when inventory says it had shipped instead. */
    private boolean giveBack(String id) {
        try {
            inventory.release(id).await().indefinitely();
            return false;
        } catch (InventoryClient.ReservationStateException e) {
            return e.committed();
        }
    }

    /**
     * Ships the order's stock; false when it went back to inventory (released, or lapsed), empty when inventory
     * answers that it does not know the reservation (its data lost): cancelling on that alone could cancel an order
     * whose stock shipped long ago, so the order is left for a person to look at.
     */
    private Optional<Boolean> ship(String id) {
        try {
            inventory.commit(id).await().indefinitely();
            return Optional.of(true);
        } catch (InventoryClient.ReservationStateException e) {
            if (e.committed() || e.givenBack()) {
                return Optional.of(e.committed());
            }
            LOG.warnf("Order %s: inventory-service does not know its reservation (%s); its fulfilment is given up and "
                    + "the order left placed", id, e.getMessage());
            return Optional.empty();
        }
    }

    private String settle(Order order, String status) {
        OrderStore.Transition t = orders.transition(Order.PLACED, order.withStatus(status));
        orders.confirmed(order.id());
        return t.moved() ? "now " + status : "already " + t.current().map(Order::status).orElse("deleted");
    }
}
