package io.authsuite.inventory.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.inventory.config.InventoryConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jboss.logging.Logger;

/** Seeds the demo items from {@code demo-items.json} when {@code inventory.demo-data} is on (local runs). */
@ApplicationScoped
public class DemoInventory {

    private static final Logger LOG = Logger.getLogger(DemoInventory.class);

    // Read back from Redis with Jackson: registered for reflection in native images.
    @io.quarkus.runtime.annotations.RegisterForReflection
    record DemoItem(String sku, String name, long stock, io.authsuite.inventory.domain.Money price) {
    }

    void seed(@Observes StartupEvent event, InventoryConfig config, InventoryStore store, ObjectMapper json)
            throws IOException {
        if (!config.demoData()) {
            return;
        }
        try (InputStream in = DemoInventory.class.getClassLoader().getResourceAsStream("demo-items.json")) {
            if (in == null) {
                throw new IllegalStateException("demo-items.json is missing from the classpath");
            }
            List<DemoItem> items = List.of(json.readValue(in, DemoItem[].class));
            long created = items.stream().filter(i -> store.createIfAbsent(i.sku(), i.name(), i.stock(), i.price())).count();
            LOG.infof("Demo inventory: %d item(s) created, %d already present", created, items.size() - created);
        }
    }
}
