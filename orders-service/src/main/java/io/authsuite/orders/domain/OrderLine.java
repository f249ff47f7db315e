package io.authsuite.orders.domain;

/** One line of an order. */
// Read back from Redis with Jackson: registered for reflection in native images.
@io.quarkus.runtime.annotations.RegisterForReflection
public record OrderLine(String sku, int quantity) {
}
