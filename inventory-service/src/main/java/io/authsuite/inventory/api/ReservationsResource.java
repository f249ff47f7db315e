package io.authsuite.inventory.api;

import io.authsuite.inventory.config.InventoryConfig;
import io.authsuite.inventory.domain.Reservation;
import io.authsuite.inventory.domain.ReservationLine;
import io.authsuite.inventory.domain.ReservationOutcome;
import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.resourceserver.security.ServiceCallers;
import io.authsuite.resourceserver.web.Problem;
import io.authsuite.resourceserver.web.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.Cancellable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Stock reservations for orders: all lines or none, once per order id. Service callers only. Placing and confirming
 * run for every order, so they return {@link Uni} and stay on the event loop (issue 12's profile).
 */
@Path("/inventory/reservations")
@Produces(MediaType.APPLICATION_JSON)
public class ReservationsResource {

    /** The error code of a 404 for an order id inventory holds no reservation for. */
    static final String RESERVATION_NOT_FOUND = "reservation_not_found";

    // Every change of stock here is @Cancellable(false): a caller that hangs up (its timeout) must not stop a
    // reservation between its Redis script and its answer; the caller retries with the same order id instead.

    /** Body of a reservation request. */
    public record ReservationRequest(String orderId, List<Line> lines) {
        /** One requested line; quantity boxed so that a missing value is told apart from zero. */
        public record Line(String sku, Integer quantity) {
        }
    }

    /** Body of {@code POST /inventory/reservations/confirmations}: held reservations whose orders are stored. */
    public record Confirmations(List<String> orderIds) {
    }

    /**
     * What confirming one reservation did: {@code confirmed} (it is reserved or already committed), {@code conflict}
     * (released or expired first; {@code status} says which) or {@code gone} (no such reservation).
     */
    public record ConfirmationResult(String orderId, String outcome, String status) {
    }

    /** Answer of a batch confirmation, one result per order id, in the order sent. */
    public record ConfirmationResults(List<ConfirmationResult> results) {
    }

    /** Most order ids one confirmation batch may hold. */
    static final int MAX_CONFIRMATIONS = 200;

    private final InventoryStore store;
    private final InventoryConfig config;
    private final JsonWebToken token;

    public ReservationsResource(InventoryStore store, InventoryConfig config, JsonWebToken token) {
        this.store = store;
        this.config = config;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inventory:reserve")
    @Cancellable(false)
    public Uni<Response> reserve(ReservationRequest request) {
        // orders-service reserves with its own token, or with one it obtained for the person who ordered (RFC 8693):
        // the reservation then records who reserved and through which service. A person's own token never holds
        // inventory:reserve.
        ServiceCallers.requireServiceOrActing(token);
        List<ReservationLine> lines = validate(request);
        String via = ServiceCallers.actingService(token).orElse(null);
        return store.reserve(request.orderId(), InventoryStore.merge(lines), token.getSubject(), via)
                .map(outcome -> answer(request, lines, outcome));
    }

    private static Response answer(ReservationRequest request, List<ReservationLine> lines, ReservationOutcome outcome) {
        return switch (outcome) {
            case ReservationOutcome.Reserved r -> Response.created(location(r.reservation()))
                    .entity(r.reservation()).build();
            case ReservationOutcome.AlreadyReserved r -> {
                String status = r.reservation().status();
                if (status.equals(Reservation.RELEASED) || status.equals(Reservation.EXPIRED)) {
                    // The order's stock was given back (its reserve call given up on, or the order cancelled): a
                    // reserve arriving after that must not answer as if stock were held for it.
                    throw new ProblemException(Problem.of(Response.Status.CONFLICT, "reservation of order "
                            + request.orderId() + " is " + status + " and cannot be reserved again")
                            .withError("reservation_state").withDetails(Map.of("reservationStatus", status)));
                }
                if (!r.reservation().lines().equals(InventoryStore.merge(lines))) {
                    // The same order id with other lines is a client bug, never a second reservation.
                    throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                            "order " + request.orderId() + " already reserved different lines")
                            .withError("reservation_conflict"));
                }
                yield Response.ok(r.reservation()).location(location(r.reservation())).build();
            }
            case ReservationOutcome.ReleasedBefore r -> throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                    "order " + request.orderId() + " was released before this reservation arrived")
                    .withError("reservation_state").withDetails(Map.of("reservationStatus", Reservation.RELEASED)));
            case ReservationOutcome.Insufficient s -> throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                    "not enough stock for " + s.lines().size() + " line(s)")
                    .withError("insufficient_stock")
                    .withDetails(Map.of("shortLines", s.lines())));
            case ReservationOutcome.Discontinued d -> throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                    "discontinued: " + String.join(", ", d.skus())).withError("item_discontinued")
                    .withDetails(Map.of("skus", d.skus())));
            case ReservationOutcome.UnknownSkus u -> {
                List<Problem.FieldError> errors = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (u.skus().contains(lines.get(i).sku())) {
                        errors.add(new Problem.FieldError("lines[" + i + "].sku", "unknown sku " + lines.get(i).sku()));
                    }
                }
                throw new ProblemException(Problem.of(Response.Status.BAD_REQUEST, "unknown sku")
                        .withError("unknown_sku").withErrors(errors));
            }
        };
    }

    @GET
    @Path("/{orderId}")
    @PermissionsAllowed("inventory:reserve")
    public Reservation get(@PathParam("orderId") String orderId) {
        ServiceCallers.requireService(token);
        validOrderId("orderId", orderId);
        return store.reservation(orderId).orElseThrow(() -> notFound(orderId));
    }

    /** The order is stored: the held reservation becomes durable (no expiry). */
    @POST
    @Path("/{orderId}/confirm")
    @PermissionsAllowed("inventory:reserve")
    @Cancellable(false)
    public Uni<Reservation> confirm(@PathParam("orderId") String orderId) {
        return transition(orderId, "confirm");
    }

    /**
     * Confirms many held reservations in one call: orders-service confirms the orders of many requests together
     * instead of one call per order, and inventory-service confirms them in one Redis script. Each id is its own
     * idempotent transition, as {@code /{orderId}/confirm}.
     */
    @POST
    @Path("/confirmations")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inventory:reserve")
    @Cancellable(false)
    public Uni<ConfirmationResults> confirmAll(Confirmations request) {
        ServiceCallers.requireService(token);
        if (request == null || request.orderIds() == null || request.orderIds().isEmpty()) {
            throw Validation.invalid("orderIds", "must hold at least one order id");
        }
        if (request.orderIds().size() > MAX_CONFIRMATIONS) {
            throw Validation.invalid("orderIds", "must hold at most " + MAX_CONFIRMATIONS + " order ids");
        }
        List<String> orderIds = request.orderIds();
        for (int i = 0; i < orderIds.size(); i++) {
            validOrderId("orderIds[" + i + "]", orderIds.get(i));
        }
        return store.transitions(orderIds, "confirm").map(results -> {
            List<ConfirmationResult> confirmations = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                InventoryStore.TransitionResult result = results.get(i);
                confirmations.add(new ConfirmationResult(orderIds.get(i), switch (result.outcome()) {
                    case DONE, ALREADY -> "confirmed";
                    case CONFLICT -> "conflict";
                    case NOT_FOUND -> "gone";
                }, result.reservation().map(Reservation::status).orElse(null)));
            }
            return new ConfirmationResults(confirmations);
        });
    }

    /** The order is fulfilled: the stock leaves for good. */
    @POST
    @Path("/{orderId}/commit")
    @PermissionsAllowed("inventory:reserve")
    @Cancellable(false)
    public Uni<Reservation> commit(@PathParam("orderId") String orderId) {
        return transition(orderId, "commit");
    }

    /** The order is cancelled (or was never stored): the stock returns. */
    @POST
    @Path("/{orderId}/release")
    @PermissionsAllowed("inventory:reserve")
    @Cancellable(false)
    public Uni<Reservation> release(@PathParam("orderId") String orderId) {
        return transition(orderId, "release");
    }

    private Uni<Reservation> transition(String orderId, String action) {
        ServiceCallers.requireService(token);
        validOrderId("orderId", orderId);
        return store.transition(orderId, action).map(result -> settled(orderId, action, result));
    }

    private static Reservation settled(String orderId, String action, InventoryStore.TransitionResult result) {
        return switch (result.outcome()) {
            case DONE, ALREADY -> result.reservation().orElseThrow();
            case NOT_FOUND -> throw notFound(orderId);
            case CONFLICT -> {
                String status = result.reservation().map(Reservation::status).orElse("gone");
                // The state is a field of its own, so that orders-service can tell "shipped" from "lapsed".
                throw new ProblemException(Problem.of(Response.Status.CONFLICT, "reservation of order " + orderId
                        + " is " + status + " and cannot be " + action + "ed").withError("reservation_state")
                        .withDetails(Map.of("reservationStatus", status)));
            }
        };
    }

    private static void validOrderId(String field, String orderId) {
        if (orderId == null || !Validation.ORDER_ID.matcher(orderId).matches()) {
            throw Validation.invalid(field, "must be 1-64 letters, digits, '_' or '-'");
        }
    }

    private static ProblemException notFound(String orderId) {
        // A code of its own: orders-service takes only this 404 as proof that nothing is reserved, not one from a
        // proxy or a route that does not exist.
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no reservation for order " + orderId)
                .withError(RESERVATION_NOT_FOUND));
    }

    private List<ReservationLine> validate(ReservationRequest request) {
        if (request == null) {
            throw Validation.invalid("body", "is required");
        }
        validOrderId("orderId", request.orderId());
        if (request.lines() == null || request.lines().isEmpty()) {
            throw Validation.invalid("lines", "must hold at least one line");
        }
        if (request.lines().size() > config.maxLines()) {
            throw Validation.invalid("lines", "must hold at most " + config.maxLines() + " lines");
        }
        List<ReservationLine> lines = new ArrayList<>();
        for (int i = 0; i < request.lines().size(); i++) {
            ReservationRequest.Line line = request.lines().get(i);
            if (line == null) {
                throw Validation.invalid("lines[" + i + "]", "must be an object");
            }
            Validation.sku("lines[" + i + "].sku", line.sku());
            if (line.quantity() == null || line.quantity() < 1 || line.quantity() > 10_000) {
                throw Validation.invalid("lines[" + i + "].quantity", "must be between 1 and 10000");
            }
            lines.add(new ReservationLine(line.sku(), line.quantity()));
        }
        // The cap is per item: lines of one sku are merged before the stock check, and so is their quantity here.
        Map<String, Integer> perSku = new java.util.HashMap<>();
        for (ReservationLine line : lines) {
            if (perSku.merge(line.sku(), line.quantity(), Integer::sum) > 10_000) {
                throw Validation.invalid("lines", "the lines for " + line.sku() + " add up to more than 10000");
            }
        }
        return lines;
    }

    private static URI location(Reservation reservation) {
        return URI.create("/inventory/reservations/" + reservation.orderId());
    }
}
