package io.authsuite.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** inventory-service's own settings ({@code inventory.*}). */
@ConfigMapping(prefix = "inventory")
public interface InventoryConfig {

    /** Seed the demo items at start (local profiles only); existing items keep their stock. */
    @WithDefault("false")
    boolean demoData();

    /** Largest page of {@code GET /inventory/items}. */
    @WithDefault("100")
    int maxPageSize();

    /**
     * How long a new reservation is held before its stock returns unless orders-service confirms it (it does once
     * the order is stored): abandoned reservations cannot lock stock for ever.
     */
    @WithDefault("PT5M")
    java.time.Duration reservationHold();

    /** How often lapsed holds are released. */
    @WithDefault("10s")
    String expiryCheckInterval();

    /** Most lines one reservation may hold. */
    @WithDefault("50")
    int maxLines();
}
