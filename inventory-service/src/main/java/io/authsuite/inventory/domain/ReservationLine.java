package io.authsuite.inventory.domain;

/** One line of a reservation: a quantity of one sku. */
public record ReservationLine(String sku, int quantity) {
}
