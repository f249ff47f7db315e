package io.authsuite.inventory.client;

import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.store.InventoryStore;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Makes sure orders-service hears of every discontinued item: the sku is first recorded in Redis
 * ({@code inventory:discontinued-pending}), then orders-service is told, now and again on a schedule until it has
 * answered, so that an outage of orders-service delays the cancellations but never loses them.
 */
@ApplicationScoped
public class DiscontinuedNotifier {

    private static final Logger LOG = Logger.getLogger(DiscontinuedNotifier.class);
    private static final String PENDING = "inventory:discontinued-pending";

    private final RedisDataSource redis;
    private final OrdersClient orders;
    private final InventoryStore store;
    /** Recorded skus whose item was still on sale at the last retry. */
    private final java.util.Set<String> seenOnSale = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DiscontinuedNotifier(RedisDataSource redis, OrdersClient orders, InventoryStore store) {
        this.redis = redis;
        this.orders = orders;
        this.store = store;
    }

    /** How many discontinued skus orders-service has not yet been told of. */
    public long pending() {
        return redis.set(String.class).scard(PENDING);
    }

    /**
     * Records the sku as one orders-service must hear of, before the item's status changes: the durable write of that
     * status comes after it in the one replication stream, so a replica that holds the status holds this too. (This
     * write cannot be the one waited for: adding a sku already recorded changes nothing, and Redis then replicates
     * nothing that a WAIT could count.)
     */
    public void record(String sku) {
        redis.set(String.class).sadd(PENDING, sku);
    }

    private boolean onSale(String sku) {
        return store.find(sku).map(item -> Item.ACTIVE.equals(item.status())).orElse(false);
    }

    /** Tells orders-service of a recorded sku now; true when it answered (otherwise the schedule retries). */
    public boolean notifyNow(String sku) {
        return notify(sku);
    }

    @Scheduled(every = "${inventory.expiry-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        java.util.List<String> discontinued = redis.set(String.class).smembers(PENDING).stream()
                .filter(sku -> !stillOnSale(sku)).toList();
        for (String sku : discontinued) {
            if (!notify(sku)) {
                return;
            }
        }
    }

    /**
     * A sku recorded by a discontinue whose status write then failed (its caller was answered 503) names an item still
     * on sale, whose orders must not be cancelled. Seen on sale at two retries in a row, its record is dropped: a
     * discontinue in flight has written its status long before the second (each Redis call is bounded by
     * quarkus.redis.timeout), and a discontinue that succeeds later records the sku again after its status.
     */
    private boolean stillOnSale(String sku) {
        if (!onSale(sku)) {
            seenOnSale.remove(sku);
            return false;
        }
        if (seenOnSale.add(sku)) {
            return true;
        }
        redis.set(String.class).srem(PENDING, sku);
        seenOnSale.remove(sku);
        if (!onSale(sku)) {
            // A discontinue wrote its status between the look above and the removal, which may have taken its second
            // record too: put it back. One whose status lands after this look records again after it, so after the
            // removal.
            redis.set(String.class).sadd(PENDING, sku);
            return false;
        }
        LOG.infof("%s is on sale again or its discontinue failed: orders-service is not told to cancel its orders", sku);
        return true;
    }

    private boolean notify(String sku) {
        try {
            int cancelled = orders.cancelOpenOrdersWith(sku);
            redis.set(String.class).srem(PENDING, sku);
            LOG.infof("orders-service cancelled %d open order(s) holding discontinued %s", cancelled, sku);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("orders-service not told of discontinued %s yet: %s", sku, e.getMessage());
            return false;
        }
    }
}
