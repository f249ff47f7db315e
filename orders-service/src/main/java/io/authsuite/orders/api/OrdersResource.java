package io.authsuite.orders.api;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.config.OrdersConfig;
import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.resourceserver.web.Problem;
import io.authsuite.resourceserver.web.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Placing and reading orders. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ORDER_ID = Pattern.compile("[0-9a-f-]{36}");

    /** Body of {@code POST /orders}. */
    public record PlaceOrder(List<Line> lines) {
        /** A requested line; quantity boxed so that a missing value is told apart from zero. */
        public record Line(String sku, Integer quantity) {
        }
    }

    private final OrderStore orders;
    private final InventoryClient inventory;
    private final OrdersConfig config;
    private final JsonWebToken token;

    public OrdersResource(OrderStore orders, InventoryClient inventory, OrdersConfig config, JsonWebToken token) {
        this.orders = orders;
        this.inventory = inventory;
        this.config = config;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("orders:write")
    public Response place(PlaceOrder request) {
        List<OrderLine> lines = validate(request);
        String id = UUID.randomUUID().toString();
        try {
            inventory.reserve(id, lines);
        } catch (InventoryClient.InsufficientStockException e) {
            throw new ProblemException(Problem.of(Response.Status.CONFLICT, "not enough stock")
                    .withError("insufficient_stock").withDetails(Map.of("shortLines", e.lines())));
        } catch (InventoryClient.InventoryRejectedException e) {
            throw new ProblemException(rejected(e));
        }
        Order order = new Order(id, token.getSubject(), Order.PLACED, lines, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try {
            orders.save(order);
        } catch (RuntimeException e) {
            // Nothing lost, nothing double-counted: the stock goes back now, or when the hold lapses.
            releaseQuietly(id);
            throw new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "the order could not be stored")
                    .withError("storage_unavailable"), "5");
        }
        try {
            inventory.confirm(id);
        } catch (RuntimeException e) {
            // The order stands; a background job confirms the hold before it lapses (ReservationConfirmations).
            orders.markUnconfirmed(id);
        }
        return Response.created(URI.create("/orders/" + id)).entity(order).build();
    }

    private void releaseQuietly(String orderId) {
        try {
            inventory.release(orderId);
        } catch (RuntimeException ignored) {
            // the hold lapses on its own
        }
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("orders:read")
    public Order get(@PathParam("id") String id) {
        if (!ORDER_ID.matcher(id).matches()) {
            throw new ProblemException(Problem.badRequest("id", "id must be an order id"));
        }
        // Another owner's order answers like a missing one, so ids of others cannot be probed.
        return orders.find(id)
                .filter(o -> o.owner().equals(token.getSubject()) || token.getGroups().contains("admin"))
                .orElseThrow(() -> new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no order " + id)));
    }

    private List<OrderLine> validate(PlaceOrder request) {
        if (request == null || request.lines() == null || request.lines().isEmpty()) {
            throw invalid("lines", "lines must hold at least one line");
        }
        if (request.lines().size() > config.maxLines()) {
            throw invalid("lines", "lines must hold at most " + config.maxLines() + " lines");
        }
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < request.lines().size(); i++) {
            PlaceOrder.Line line = request.lines().get(i);
            String field = "lines[" + i + "]";
            if (line == null) {
                throw invalid(field, field + " must be an object");
            }
            if (line.sku() == null || !SKU.matcher(line.sku()).matches()) {
                throw invalid(field + ".sku", field + ".sku must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (line.quantity() == null || line.quantity() < 1 || line.quantity() > config.maxQuantity()) {
                throw invalid(field + ".quantity", field + ".quantity must be between 1 and " + config.maxQuantity());
            }
            lines.add(new OrderLine(line.sku(), line.quantity()));
        }
        return lines;
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.badRequest(field, message));
    }

    /** Passes on inventory's field errors (its line indexes are ours: lines are sent in order). */
    private static Problem rejected(InventoryClient.InventoryRejectedException e) {
        List<Problem.FieldError> errors = new ArrayList<>();
        e.problem().path("errors").forEach(err -> errors.add(
                new Problem.FieldError(err.path("field").asText(), err.path("message").asText())));
        String detail = e.problem().path("detail").asText("rejected by inventory-service");
        return Problem.of(Response.Status.BAD_REQUEST, detail)
                .withError(e.problem().path("error").asText("invalid_request"))
                .withErrors(errors.isEmpty() ? null : errors);
    }
}
