package io.authsuite.orders.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** orders-service's own settings ({@code orders.*}). */
@ConfigMapping(prefix = "orders")
public interface OrdersConfig {

    /** Most lines one order may hold. */
    @WithDefault("50")
    int maxLines();

    /** Largest quantity of one item in one order (its lines added up). */
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

    /**
     * How old an order stored unconfirmed must be before the background job confirms its reservation. Its request may
     * take it back until then, and a hold confirmed for an order taken back would never lapse. Unset: the longest
     * {@code POST /orders} can take (ReservationConfirmations#requestBound, from {@code quarkus.redis.timeout}).
     */
    java.util.Optional<java.time.Duration> confirmAfter();

    /** How often cancellations, fulfilments and deletions that stopped half-way are looked for and finished. */
    @WithDefault("10s")
    String settlementRetryInterval();

    /**
     * How old a recorded cancellation, fulfilment or deletion must be before the background job finishes it: longer
     * than the request that recorded it may still be running (inventory calls time out after 3 s, retried twice).
     */
    @WithDefault("PT30S")
    java.time.Duration settlementRetryAfter();

    /** Seconds a client is told to wait (Retry-After) when inventory-service is unavailable. */
    @WithDefault("5")
    int retryAfterSeconds();
}
