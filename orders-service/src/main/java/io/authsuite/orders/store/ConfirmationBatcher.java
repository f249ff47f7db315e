package io.authsuite.orders.store;

import io.authsuite.orders.client.InventoryClient;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Confirms the reservations of stored orders in batches, after their 201 has gone out: one call to inventory-service
 * and one Redis command for every order that arrived while the previous batch was in flight, instead of a call and a
 * command per order (issue 12: the confirm was a third of the order path's HTTP exchanges).
 *
 * <p>Nothing depends on this queue for correctness. An order is stored as unconfirmed before it is submitted here,
 * and its hold lasts minutes; if a batch fails, is dropped because the queue is full, or dies with this process,
 * {@link ReservationConfirmations} (any replica) confirms the order once its Idempotency-Key lease has passed.
 *
 * <p>At most one batch is in flight. The batches run on a Vert.x context of their own, never inside the request that
 * submitted the order (which has ended by the time its batch is sent).
 */
@ApplicationScoped
@Startup
public class ConfirmationBatcher {

    private static final Logger LOG = Logger.getLogger(ConfirmationBatcher.class);

    /** Inventory's limit per call. */
    static final int MAX_BATCH = 200;
    /** Beyond this backlog new orders are left to {@link ReservationConfirmations}. */
    static final int MAX_QUEUED = 20_000;

    private final InventoryClient inventory;
    private final OrderStore orders;
    private final Context context;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();

    public ConfirmationBatcher(InventoryClient inventory, OrderStore orders, Vertx vertx) {
        this.inventory = inventory;
        this.orders = orders;
        // @Startup: created on the main thread, off any event loop, so this is a fresh event-loop context of its own.
        // Created lazily inside the first order's request, it would be that request's (duplicated) context.
        this.context = vertx.getOrCreateContext();
    }

    /** Queues a stored, unconfirmed order for the next batch. Never blocks, never fails the caller. */
    public void submit(String orderId) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            return;
        }
        queue.add(orderId);
        if (sending.compareAndSet(false, true)) {
            context.runOnContext(ignored -> send());
        }
    }

    private void send() {
        List<String> batch = new ArrayList<>();
        for (String id; batch.size() < MAX_BATCH && (id = queue.poll()) != null; ) {
            batch.add(id);
        }
        queued.addAndGet(-batch.size());
        if (batch.isEmpty()) {
            sending.set(false);
            // An order queued between the poll above and this reset found "sending" still set: take it now.
            if (!queue.isEmpty() && sending.compareAndSet(false, true)) {
                send();
            }
            return;
        }
        inventory.confirmAll(batch)
                .map(results -> results.stream().filter(InventoryClient.Confirmation::confirmed)
                        .map(InventoryClient.Confirmation::orderId).toList())
                .chain(orders::confirmedAsync)
                .subscribe().with(done -> send(), failure -> {
                    LOG.debugf("A batch of %d confirmations failed (%s); ReservationConfirmations retries them",
                            batch.size(), failure.getMessage());
                    send();
                });
    }
}
