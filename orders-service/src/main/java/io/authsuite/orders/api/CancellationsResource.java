package io.authsuite.orders.api;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.domain.Order;
import io.authsuite.orders.settle.SettlementIntents;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.resourceserver.security.ServiceCallers;
import io.authsuite.resourceserver.web.Problem;
import io.authsuite.resourceserver.web.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Called by inventory-service when an item is discontinued: every placed order holding it is cancelled and its
 * stock released. Idempotent (cancelled orders stay cancelled), so inventory-service may repeat it.
 */
@Path("/orders/cancellations")
@Produces(MediaType.APPLICATION_JSON)
public class CancellationsResource {

    private static final Logger LOG = Logger.getLogger(CancellationsResource.class);
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Body: the discontinued sku. */
    public record Cancellation(String sku) {
    }

    private final OrderStore orders;
    private final InventoryClient inventory;
    private final JsonWebToken token;
    private final SettlementIntents intents;

    public CancellationsResource(OrderStore orders, InventoryClient inventory, JsonWebToken token,
                                 SettlementIntents intents) {
        this.intents = intents;
        this.orders = orders;
        this.inventory = inventory;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("orders:cancel")
    public Map<String, Integer> cancelOpenOrdersWith(Cancellation request) {
        ServiceCallers.requireService(token);
        if (request == null || request.sku() == null || !SKU.matcher(request.sku()).matches()) {
            throw new ProblemException(Problem.badRequest("sku", "sku must be 1-64 letters, digits, '.', '_' or '-'"));
        }
        String claim = orders.claimSweep(request.sku(), SWEEP_LEASE).orElseThrow(() -> new ProblemException(
                Problem.of(jakarta.ws.rs.core.Response.Status.CONFLICT, "the open orders holding " + request.sku()
                        + " are being cancelled; ask again shortly").withError("cancellation_in_progress"), "10"));
        try {
            return Map.of("cancelled", sweep(request.sku()));
        } finally {
            orders.releaseSweep(request.sku(), claim);
        }
    }

    /** Long enough for a sweep of thousands of orders; a sweep that dies holding it blocks the next for no longer. */
    private static final java.time.Duration SWEEP_LEASE = java.time.Duration.ofMinutes(2);

    private int sweep(String sku) {
        int cancelled = 0;
        for (Order order : orders.openWithSku(sku)) {
            // Should this request stop half-way, inventory-service sends it again; the intent also lets any replica
            // finish this order meanwhile.
            SettlementIntents.Intent intent;
            try {
                intent = intents.begin(order.id(), SettlementIntents.Target.CANCELLED);
            } catch (SettlementIntents.InProgress e) {
                // A fulfil or delete recorded earlier goes first; the repair job finishes it as the stock says.
                continue;
            }
            try {
                inventory.release(order.id()).await().indefinitely();
            } catch (InventoryClient.ReservationStateException e) {
                if (e.committed()) {
                    // Shipped meanwhile: the order is fulfilled, stored so if a fulfil stopped before writing it.
                    orders.transition(Order.PLACED, order.withStatus(Order.FULFILLED));
                    intents.end(intent);
                    continue;
                }
                // otherwise nothing reserved any more
            }
            orders.confirmed(order.id());
            if (orders.transition(Order.PLACED, order.withStatus(Order.CANCELLED)).moved()) {
                cancelled++;
            }
            intents.end(intent);
        }
        LOG.infof("Cancelled %d open order(s) holding discontinued %s", cancelled, sku);
        return cancelled;
    }
}
