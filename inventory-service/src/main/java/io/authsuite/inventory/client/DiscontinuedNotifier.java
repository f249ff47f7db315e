package io.authsuite.inventory.client;

import io.authsuite.redis.DurableWrites;
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
    private final DurableWrites durable;

    public DiscontinuedNotifier(RedisDataSource redis, OrdersClient orders, DurableWrites durable) {
        this.durable = durable;
        this.redis = redis;
        this.orders = orders;
    }

    /** How many discontinued skus orders-service has not yet been told of. */
    public long pending() {
        return redis.set(String.class).scard(PENDING);
    }

    /** Records the sku and tries to notify at once; true when orders-service answered. */
    public boolean discontinued(String sku) {
        // The last write of a discontinue: once a replica holds it, it holds the item's status too (one replication
        // stream), so neither comes back after a failover once the admin was told.
        durable.run(redis, ds -> ds.set(String.class).sadd(PENDING, sku));
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
