package io.authsuite.inventory.domain;

/** A line that could not be reserved: what was asked and what is available. */
// Carried in the details map of a 409 problem, where Quarkus cannot see its type.
@io.quarkus.runtime.annotations.RegisterForReflection
public record ShortLine(String sku, int requested, long available) {
}
