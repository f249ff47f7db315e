package io.authsuite.inventory.domain;

/** A line that could not be reserved: what was asked and what is available. */
public record ShortLine(String sku, int requested, long available) {
}
