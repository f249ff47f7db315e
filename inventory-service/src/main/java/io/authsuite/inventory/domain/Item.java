package io.authsuite.inventory.domain;

/**
 * An item with its stock.
 *
 * @param stock    units available to reserve
 * @param reserved units held by live reservations
 */
public record Item(String sku, String name, long stock, long reserved) {
}
