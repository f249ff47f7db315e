package io.authsuite.inventory.store;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Returns the stock of held reservations that were never confirmed (an order that was not stored). */
@ApplicationScoped
public class ReservationExpiry {

    private static final Logger LOG = Logger.getLogger(ReservationExpiry.class);

    private final InventoryStore store;

    public ReservationExpiry(InventoryStore store) {
        this.store = store;
    }

    @Scheduled(every = "${inventory.expiry-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        try {
            int expired = store.expireHolds();
            if (expired > 0) {
                LOG.infof("Released %d expired reservation hold(s)", expired);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Expiring reservation holds failed, will retry: %s", e.getMessage());
        }
    }
}
