package io.authsuite.inventory.domain;

import java.util.List;

/** Stock held for one order: all of its lines, or none. */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
public record Reservation(String orderId, List<ReservationLine> lines, String status) {

    public static final String RESERVED = "reserved";
}
