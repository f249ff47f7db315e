package io.authsuite.inventory.domain;

/** One line of a reservation: a quantity of one sku. */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
public record ReservationLine(String sku, int quantity) {
}
