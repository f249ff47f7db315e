package io.authsuite.inventory.domain;

import java.util.List;

/**
 * Stock held for one order: all of its lines, or none.
 *
 * @param status    {@code held} (until {@code expiresAt}, then the stock returns), {@code reserved} (confirmed by
 *                  orders-service once the order is stored), {@code committed} (shipped), {@code released}
 *                  (cancelled) or {@code expired}
 * @param expiresAt epoch seconds when a held reservation lapses; 0 once confirmed
 * @param reservedBy the {@code sub} of the token that reserved: the person who placed the order when orders-service
 *                   acted for them (token exchange, RFC 8693), else the service itself; null for reservations made
 *                   before this was recorded
 * @param via        the service that acted for {@code reservedBy} (the token's {@code act.sub}); null when a service
 *                   reserved for itself
 */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record Reservation(String orderId, List<ReservationLine> lines, String status, long expiresAt,
                          String reservedBy, String via) {

    public static final String HELD = "held";
    public static final String RESERVED = "reserved";
    public static final String COMMITTED = "committed";
    public static final String RELEASED = "released";
    public static final String EXPIRED = "expired";
}
