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

    /** Most lines one reservation may hold. */
    @WithDefault("50")
    int maxLines();
}
