package io.authsuite.inventory.domain;

/**
 * An item with its stock.
 *
 * @param stock    units available to reserve
 * @param reserved units held by live reservations
 * @param status   {@code active} or {@code discontinued} (no longer reservable)
 */
public record Item(String sku, String name, Money price, long stock, long reserved, String status) {

    public static final String ACTIVE = "active";
    public static final String DISCONTINUED = "discontinued";
}
