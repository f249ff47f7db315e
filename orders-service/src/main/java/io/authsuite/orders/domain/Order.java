package io.authsuite.orders.domain;

import java.time.Instant;
import java.util.List;

/**
 * An order placed by a subject (a person's subject id, or a client id for service callers).
 */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
public record Order(String id, String owner, String status, List<OrderLine> lines, Instant createdAt) {

    /** Stock is reserved for every line. */
    public static final String PLACED = "placed";
    /** Cancelled; its stock went back to inventory. */
    public static final String CANCELLED = "cancelled";
    /** Shipped; its stock left inventory for good. */
    public static final String FULFILLED = "fulfilled";

    public Order withStatus(String newStatus) {
        return new Order(id, owner, newStatus, lines, createdAt);
    }
}
