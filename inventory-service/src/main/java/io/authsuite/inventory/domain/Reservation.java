package io.authsuite.inventory.domain;

import java.util.List;

/** Stock held for one order: all of its lines, or none. */
public record Reservation(String orderId, List<ReservationLine> lines, String status) {

    public static final String RESERVED = "reserved";
}
