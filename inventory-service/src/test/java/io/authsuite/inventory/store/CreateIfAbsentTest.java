package io.authsuite.inventory.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.domain.Money;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The demo seeding's create: whole items, made once, whichever replica seeds first. */
@QuarkusTest
class CreateIfAbsentTest {

    @Inject
    InventoryStore store;

    @Test
    void createIfAbsentWhenItemExistsThenNothingChangesAndTheNewItemIsWholeAndListed() {
        String sku = "SEED-" + UUID.randomUUID().toString().substring(0, 8);

        assertTrue(store.createIfAbsent(sku, "first", 5, new Money(250, "EUR")));
        assertFalse(store.createIfAbsent(sku, "second", 9, new Money(1, "USD")), "made once");

        Item item = store.find(sku).orElseThrow();
        assertEquals(new Item(sku, "first", new Money(250, "EUR"), 5, 0, Item.ACTIVE), item);
        long listed = store.count();
        assertTrue(listed >= 1);
        assertTrue(store.list(0, (int) Math.min(listed, 10_000)).stream().anyMatch(i -> i.sku().equals(sku)),
                "in the index the listing reads");
    }
}
