package io.authsuite.orders.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** orders-service's own settings ({@code orders.*}). */
@ConfigMapping(prefix = "orders")
public interface OrdersConfig {

    /** Most lines one order may hold. */
    @WithDefault("50")
    int maxLines();

    /** Largest quantity of one line. */
    @WithDefault("10000")
    int maxQuantity();

    /** How often orders whose reservation is not yet confirmed are retried. */
    @WithDefault("10s")
    String confirmRetryInterval();

    /**
     * How long a request holds its Idempotency-Key before the order is stored: a retry of a request whose process died
     * can take the key over after this. Longer than the slowest request (inventory calls time out after 3 s, retried).
     */
    @WithDefault("PT30S")
    java.time.Duration idempotencyLease();

    /** Seconds a client is told to wait (Retry-After) when inventory-service is unavailable. */
    @WithDefault("5")
    int retryAfterSeconds();
}
