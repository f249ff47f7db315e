package io.authsuite.inventory.client;

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

    public DiscontinuedNotifier(RedisDataSource redis, OrdersClient orders) {
        this.redis = redis;
        this.orders = orders;
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

    /** Tells orders-service of a recorded sku now; true when it answered (otherwise the schedule retries). */
    public boolean notifyNow(String sku) {
        return notify(sku);
    }

    @Scheduled(every = "${inventory.expiry-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        for (String sku : redis.set(String.class).smembers(PENDING)) {
            if (!notify(sku)) {
                return;
            }
        }
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
