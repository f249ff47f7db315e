package io.authsuite.orders.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.authsuite.orders.domain.OrderLine;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls inventory-service with a timeout, retries and a circuit breaker, and turns its answers into the outcomes
 * orders-service acts on. Business refusals (short stock, unknown sku) are neither retried nor counted as
 * failures; everything else is {@link InventoryUnavailableException}.
 *
 * <p>Every call returns a lazy {@link Uni}: nothing is sent until it is subscribed, and each retry subscribes again.
 * {@code POST /orders} chains them on the event loop; blocking callers (scheduled jobs, admin transitions on worker
 * threads) await them, bounded by the timeout and retries below. {@link AsynchronousNonBlocking}: fault tolerance
 * would otherwise move every call to a worker thread, the hand-over this client exists to avoid.
 */
@ApplicationScoped
public class InventoryClient {

    private static final Logger LOG = Logger.getLogger(InventoryClient.class);

    /** Names of the circuit breakers, one per call: a failing release must not stop reservations, nor the reverse. */
    public static final List<String> CIRCUITS = List.of("inventory-reserve",
            "inventory-confirm-batch", "inventory-commit", "inventory-release");

    private final InventoryApi api;
    private final InventoryOnBehalfApi onBehalfApi;

    public InventoryClient(@RestClient InventoryApi api, @RestClient InventoryOnBehalfApi onBehalfApi) {
        this.api = api;
        this.onBehalfApi = onBehalfApi;
    }

    /** A line inventory could not reserve; carried in the details map of a 409 problem. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record ShortLine(String sku, int requested, long available) {
    }

    /** Inventory has too little stock for some lines; nothing was reserved. */
    public static class InsufficientStockException extends RuntimeException {
        private final transient List<ShortLine> lines;

        public InsufficientStockException(List<ShortLine> lines) {
            super("insufficient stock", null, false, false);
            this.lines = lines;
        }

        public List<ShortLine> lines() {
            return lines;
        }
    }

    /**
     * Inventory refused the request: 400 as invalid (an unknown sku), 409 for the state of what it holds (a
     * discontinued item). Its status and problem body are kept, to be passed on.
     */
    public static class InventoryRejectedException extends RuntimeException {
        private final int status;
        private final transient JsonNode problem;

        public InventoryRejectedException(int status, JsonNode problem) {
            super("rejected by inventory-service", null, false, false);
            this.status = status;
            this.problem = problem;
        }

        public int status() {
            return status;
        }

        public JsonNode problem() {
            return problem;
        }
    }

    /** Inventory could not be reached or failed; the caller may try again later. */
    public static class InventoryUnavailableException extends RuntimeException {
        public InventoryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * inventory-service refused the caller's credentials: 403 (the registration lacks a scope or audience), or 401 to a
     * token obtained for a person. The same call again is refused again, so it is not retried; it still counts for the
     * circuit breaker, which opens only when such refusals are half the calls (inventory-service refusing everyone).
     * A 401 to this service's own token is retried instead, as the service token filter fetches a new token for the
     * retry.
     */
    public static class InventoryRefusedCallerException extends InventoryUnavailableException {
        private final int status;
        private final String personToken;

        public InventoryRefusedCallerException(int status, String personToken, Throwable cause) {
            super("inventory-service refused " + (personToken != null ? "the token obtained for the person"
                    : "orders-service") + " with " + status, cause);
            this.status = status;
            this.personToken = personToken;
        }

        /** The token obtained for a person that inventory-service found invalid (401), or null. */
        public String refusedPersonToken() {
            return status == 401 ? personToken : null;
        }
    }

    /**
     * Reserves all lines for the order. Safe to retry: inventory-service reserves at most once per order id. With a
     * token obtained for a person ({@code onBehalfToken}, from {@link io.authsuite.orders.exchange.OnBehalfTokens}),
     * for that person (inventory records them and this service); without one, as this service.
     */
    @AsynchronousNonBlocking
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = {InsufficientStockException.class,
            InventoryRejectedException.class, InventoryRefusedCallerException.class})
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = {InsufficientStockException.class, InventoryRejectedException.class})
    @CircuitBreakerName("inventory-reserve")
    public Uni<Void> reserve(String orderId, List<OrderLine> lines, Optional<String> onBehalfToken) {
        List<InventoryApi.Line> request = lines.stream().map(l -> new InventoryApi.Line(l.sku(), l.quantity())).toList();
        InventoryApi.ReservationRequest body = new InventoryApi.ReservationRequest(orderId, request);
        Uni<InventoryApi.Reservation> call = onBehalfToken.isEmpty() ? api.reserve(body)
                : onBehalfApi.reserve("Bearer " + onBehalfToken.get(), body);
        return call.replaceWithVoid().onFailure().transform(failure -> reserveFailure(failure, onBehalfToken.orElse(null)));
    }

    /**
     * Whether a failed {@link #reserve} may still have reserved: false only for inventory's own refusals. Anything else
     * (a timeout, a dropped connection, a 5xx, even a refused connection or an open circuit, which may follow an
     * earlier attempt of the same call that timed out) leaves it unknown.
     */
    public static boolean mayHaveReserved(Throwable failure) {
        return !(failure instanceof InsufficientStockException || failure instanceof InventoryRejectedException);
    }

    /**
     * The error codes of inventory's refusals of a reservation that leave nothing held: an unknown or discontinued
     * sku, lines it finds invalid (with the fields named), an order whose stock was already given back. Its
     * {@code reservation_conflict} (the order id holds other lines) is not one of them: stock is held for it.
     */
    private static final java.util.Set<String> NOTHING_RESERVED = java.util.Set.of("unknown_sku", "item_discontinued",
            "invalid_request", "reservation_state");

    private static RuntimeException reserveFailure(Throwable failure, String personToken) {
        if (failure instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 403 || status == 401 && personToken != null) {
                return new InventoryRefusedCallerException(status, personToken, e);
            }
            if (status == 409 || status == 400) {
                JsonNode body = body(e);
                String error = body.path("error").asText("");
                if (status == 409 && error.equals("insufficient_stock")) {
                    return new InsufficientStockException(shortLines(body));
                }
                // Only inventory's own refusals prove that nothing is held: a 400 or 409 of a gateway, or one that
                // answers a retry after an attempt that timed out, says nothing of it (mayHaveReserved).
                if (NOTHING_RESERVED.contains(error)
                        && (!error.equals("invalid_request") || !body.path("errors").isEmpty())) {
                    return new InventoryRejectedException(status, body);
                }
            }
            return new InventoryUnavailableException("inventory-service answered " + status, e);
        }
        LOG.debugf(failure, "inventory-service call failed");
        return new InventoryUnavailableException("inventory-service is unreachable: " + failure.getMessage(), failure);
    }

    /** The reservation cannot take this step (for example a hold that lapsed before it was confirmed). */
    public static class ReservationStateException extends RuntimeException {
        private final String reservationStatus;

        public ReservationStateException(String message, String reservationStatus) {
            super(message, null, false, false);
            this.reservationStatus = reservationStatus;
        }

        /** The stock left inventory for good: the order was fulfilled, whatever this service stored. */
        public boolean committed() {
            return "committed".equals(reservationStatus);
        }

        /** The stock went back to inventory (a release, or a hold that lapsed): the order can no longer ship. */
        public boolean givenBack() {
            return "released".equals(reservationStatus) || "expired".equals(reservationStatus);
        }
    }

    /** Inventory's answer for one order of {@link #confirmAll}. */
    public record Confirmation(String orderId, boolean confirmed, boolean givenBack) {
    }

    /**
     * Confirms the held reservations of many stored orders in one call (at most 200). {@code confirmed}: inventory now
     * holds the order's stock as reserved (or already committed); {@code givenBack}: its hold lapsed or was released,
     * or inventory no longer knows it. Idempotent, so retried.
     */
    @AsynchronousNonBlocking
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @CircuitBreakerName("inventory-confirm-batch")
    public Uni<List<Confirmation>> confirmAll(List<String> orderIds) {
        return api.confirmAll(new InventoryApi.Confirmations(orderIds))
                .map(answer -> answer.results().stream().map(r -> new Confirmation(r.orderId(),
                        "confirmed".equals(r.outcome()), "gone".equals(r.outcome())
                        || "released".equals(r.status()) || "expired".equals(r.status()))).toList())
                .onFailure().transform(failure -> new InventoryUnavailableException(
                        "inventory-service did not confirm: " + failure.getMessage(), failure));
    }

    /** The order shipped: the stock leaves for good. Idempotent, so retried. */
    @AsynchronousNonBlocking
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = ReservationStateException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = ReservationStateException.class)
    @CircuitBreakerName("inventory-commit")
    public Uni<Void> commit(String orderId) {
        return step(orderId, api::commit);
    }

    /**
     * Releases an order whose {@link #reserve} call failed without an answer from inventory ({@link #mayHaveReserved}),
     * in the background. No circuit breaker: these follow the reserve call's own failures, and must not open the
     * circuit that cancellations and deletions go through; inventory-service answers a release of an order it never
     * reserved at once.
     */
    @AsynchronousNonBlocking
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = ReservationStateException.class)
    public Uni<Void> releaseGivenUp(String orderId) {
        return step(orderId, api::release);
    }

    /** The order is cancelled or was never stored: the stock returns. Idempotent, so retried. */
    @AsynchronousNonBlocking
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = ReservationStateException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = ReservationStateException.class)
    @CircuitBreakerName("inventory-release")
    public Uni<Void> release(String orderId) {
        return step(orderId, api::release);
    }

    private static Uni<Void> step(String orderId,
                                  java.util.function.Function<String, Uni<InventoryApi.Reservation>> call) {
        return call.apply(orderId).replaceWithVoid().onFailure().transform(failure -> {
            if (failure instanceof WebApplicationException e) {
                int status = e.getResponse().getStatus();
                if (status == 409 || status == 404) {
                    JsonNode body = body(e);
                    String error = body.path("error").asText("");
                    String reservation = body.path("details").path("reservationStatus").asText("");
                    // Only inventory's own answer about the reservation is proof of its state; a 404 from a proxy or
                    // a route that does not exist says nothing, and acting on it would leave the stock held for good.
                    if (status == 404 && error.equals("reservation_not_found")) {
                        return new ReservationStateException("reservation of " + orderId + ": "
                                + body.path("detail").asText(""), "gone");
                    }
                    if (status == 409 && error.equals("reservation_state") && !reservation.isEmpty()) {
                        return new ReservationStateException("reservation of " + orderId + ": "
                                + body.path("detail").asText(""), reservation);
                    }
                }
                return new InventoryUnavailableException("inventory-service answered " + status + " without saying "
                        + "what became of the reservation", e);
            }
            return new InventoryUnavailableException("inventory-service is unreachable: " + failure.getMessage(), failure);
        });
    }

    private static JsonNode body(WebApplicationException e) {
        try {
            return e.getResponse().readEntity(JsonNode.class);
        } catch (RuntimeException unreadable) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static List<ShortLine> shortLines(JsonNode body) {
        List<ShortLine> lines = new ArrayList<>();
        for (JsonNode line : body.path("details").path("shortLines")) {
            lines.add(new ShortLine(line.path("sku").asText(), line.path("requested").asInt(),
                    line.path("available").asLong()));
        }
        return lines;
    }
}
