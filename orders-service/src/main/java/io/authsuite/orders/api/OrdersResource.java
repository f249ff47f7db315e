package io.authsuite.orders.api;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.config.OrdersConfig;
import io.authsuite.orders.domain.Order;
import io.authsuite.orders.domain.OrderLine;
import io.authsuite.orders.exchange.OnBehalfTokens;
import io.authsuite.orders.settle.SettlementIntents;
import io.authsuite.orders.store.ConfirmationBatcher;
import io.authsuite.orders.store.OrderStore;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.RedisFailures;
import io.authsuite.resourceserver.web.Problem;
import io.authsuite.resourceserver.web.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.authsuite.resourceserver.security.Roles;
import io.authsuite.resourceserver.security.ServiceCallers;
import io.authsuite.resourceserver.security.TokenRefused;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.Cancellable;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Placing and reading orders. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OrdersResource.class);

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ORDER_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

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
    private final ConfirmationBatcher confirmations;
    private final SettlementIntents intents;
    private final OnBehalfTokens onBehalf;

    public OrdersResource(OrderStore orders, InventoryClient inventory, OrdersConfig config, JsonWebToken token,
                          ConfirmationBatcher confirmations, SettlementIntents intents, OnBehalfTokens onBehalf) {
        this.orders = orders;
        this.onBehalf = onBehalf;
        this.intents = intents;
        this.inventory = inventory;
        this.confirmations = confirmations;
        this.config = config;
        this.token = token;
    }

    /** A page of orders, newest first. */
    public record OrderPage(List<Order> items, int offset, int limit, long total) {
    }

    /**
     * Places an order. The whole request runs on the event loop, as a chain of non-blocking calls (Redis, then
     * inventory-service): an order is the service's hot write path, and the hand-overs to a worker thread and back
     * for each call were most of its CPU (issue 12's profile).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("orders:write")
    // A client that hangs up must not cut an order in half (stock held, order never stored): it runs to its end.
    @Cancellable(false)
    public Uni<Response> place(PlaceOrder request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        List<OrderLine> lines = validate(request);
        String owner = token.getSubject();
        String id = UUID.randomUUID().toString();
        if (idempotencyKey == null) {
            return placeWithId(id, owner, lines, null);
        }
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw invalid("Idempotency-Key", "Idempotency-Key must be 1-128 printable characters");
        }
        return orders.claimIdempotencyKey(owner, idempotencyKey, id, config.idempotencyLease())
                .chain(owning -> !owning.equals(id) ? replay(owning, owner, idempotencyKey, lines)
                        : placeWithId(id, owner, lines, idempotencyKey)
                                // The request failed as a whole: a retry with the same key must be able to succeed.
                                .onFailure().call(() -> orders.releaseIdempotencyKey(owner, idempotencyKey, id)
                                        .onFailure().recoverWithNull()));
    }

    /** The same Idempotency-Key again: the same order, reserved once. */
    private Uni<Response> replay(String claim, String owner, String idempotencyKey, List<OrderLine> lines) {
        boolean stored = claim.startsWith(OrderStore.SETTLED_CLAIM) || claim.startsWith(OrderStore.VOUCHED_CLAIM);
        if (!stored) {
            // A request still in flight, or a claim from before claims were settled: read as it is.
            return orders.findAsync(claim).map(found -> replayed(found.orElseThrow(OrdersResource::inProgress),
                    owner, lines));
        }
        String orderId = claim.substring(1);
        // Answered 201 only once the order is as durable as its first answer would have been, and can no longer be
        // taken back by its first request (whose own save may still be waiting for a replica).
        return orders.vouch(owner, idempotencyKey, orderId)
                .onFailure(DurableWrites.NotReplicatedException.class).transform(e -> new ProblemException(
                        Problem.of(Response.Status.SERVICE_UNAVAILABLE, "the order could not be confirmed as stored")
                                .withError("storage_unavailable"), "5"))
                .map(vouched -> switch (vouched.finding()) {
                    case STANDS -> replayed(vouched.order(), owner, lines);
                    // Its order was stored, then deleted: a retry would never succeed, so no Retry-After.
                    case GONE -> throw new ProblemException(Problem.of(Response.Status.CONFLICT, "the order placed "
                            + "with this Idempotency-Key no longer exists; place a new order with a new key")
                            .withError("idempotency_key_spent"));
                    // Its first request took the order back a moment ago: a retry may place it.
                    case KEY_FREE -> throw inProgress();
                });
    }

    private static ProblemException inProgress() {
        return new ProblemException(Problem.of(Response.Status.CONFLICT,
                "a request with this Idempotency-Key is still in progress").withError("idempotency_in_progress"), "1");
    }

    private static Response replayed(Order earlier, String owner, List<OrderLine> lines) {
        // A key is scoped to its owner (draft-ietf-httpapi-idempotency-key-header §2.2): another owner's order is
        // never replayed, whatever its claim says. The same key with another payload SHOULD be 422 (§2.7); 409 stays
        // for a request still in progress.
        if (!earlier.owner().equals(owner) || !earlier.lines().equals(lines)) {
            throw new ProblemException(Problem.of(422, "Unprocessable Content",
                    "this Idempotency-Key was used for a different order").withError("idempotency_key_reused"));
        }
        return Response.created(URI.create("/orders/" + earlier.id())).entity(earlier)
                .header("Idempotent-Replayed", "true").build();
    }

    private Uni<Response> placeWithId(String id, String owner, List<OrderLine> lines, String idempotencyKey) {
        Order order = new Order(id, owner, Order.PLACED, lines, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return forInventory().chain(bearer -> reserveAndStore(order, bearer, idempotencyKey));
    }

    /**
     * A person's order reserves stock in their name, with their token exchanged for one at inventory-service; a
     * service's order as itself (empty). The exchange comes before the inventory call, outside its retries and circuit
     * breaker: a token auth-service refuses, or auth-service being down, says nothing about inventory-service.
     */
    private Uni<Optional<String>> forInventory() {
        if (ServiceCallers.isService(token)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return onBehalf.forPerson(token.getRawToken()).map(Optional::of)
                .onFailure(OnBehalfTokens.SubjectTokenRefused.class).transform(e -> {
                    if (token.getExpirationTime() <= Instant.now().getEpochSecond()) {
                        // RFC 6750 §3.1: invalid_token; it expired within this service's clock skew. TOKEN_EXPIRED
                        // tells the client to refresh, not to retry the same token.
                        return TokenRefused.exception(e.getMessage(), true);
                    }
                    // Refused while still valid here: revoked a moment ago, or a request auth-service does not
                    // accept from this service (the same error code). Telling the person to sign in again would be
                    // wrong in the second case, and the revocation reaches this service at once in the first.
                    LOG.warnf("auth-service refused the token exchange for a token still valid here: %s",
                            e.getMessage());
                    return authUnavailable();
                })
                .onFailure(OnBehalfTokens.ExchangeUnavailable.class).transform(e -> authUnavailable());
    }

    private static ProblemException authUnavailable() {
        return new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "auth-service could not authorise "
                + "the reservation for you; try again shortly").withError("auth_unavailable"), "5");
    }

    private Uni<Response> reserveAndStore(Order order, Optional<String> onBehalfToken, String idempotencyKey) {
        String id = order.id();
        List<OrderLine> lines = order.lines();
        return inventory.reserve(id, lines, onBehalfToken)
                // Gave up without an answer: the reservation may still land (a call that timed out, a retry in
                // flight). Released now, and inventory refuses a reserve that comes after the release, so a retry of
                // this order under a new id does not hold the stock twice until the hold lapses.
                .onFailure(InventoryClient::mayHaveReserved).invoke(() -> inventory.releaseGivenUp(id).subscribe().with(
                        done -> { }, failed -> { }))
                .onFailure(InventoryClient.InventoryRefusedCallerException.class).invoke(e -> {
                    String refused = ((InventoryClient.InventoryRefusedCallerException) e).refusedPersonToken();
                    if (refused != null) {
                        onBehalf.forget(token.getRawToken(), refused);
                    }
                })
                .onFailure(InventoryClient.InsufficientStockException.class).transform(e -> new ProblemException(
                        Problem.of(Response.Status.CONFLICT, "not enough stock").withError("insufficient_stock")
                                .withDetails(Map.of("shortLines",
                                        ((InventoryClient.InsufficientStockException) e).lines()))))
                .onFailure(InventoryClient.InventoryRejectedException.class).transform(e -> new ProblemException(
                        rejected((InventoryClient.InventoryRejectedException) e)))
                .chain(() -> orders.save(order, idempotencyKey)
                        // Nothing lost, nothing double-counted: an order that may have been written without reaching
                        // a replica is taken back, and the stock goes back now. Not while the order may still stand
                        // (stored, its Idempotency-Key settled on it): its stock then stays held for it, to be
                        // confirmed by ReservationConfirmations, or to lapse if the order is gone after all.
                        .onFailure().call(() -> orders.takeBack(order, idempotencyKey)
                                .onFailure().recoverWithUni(failed -> knownGone(id).replaceWith(false))
                                // A replay answered 201 for it meanwhile: the order stands, its stock stays held.
                                .chain(stands -> stands ? Uni.createFrom().voidItem() : releaseQuietly(id))
                                .onFailure().recoverWithNull())
                        .onFailure().transform(e -> new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE,
                                "the order could not be stored").withError("storage_unavailable"), "5")))
                .chain(saved -> {
                    if (!saved) {
                        // This request outlived its Idempotency-Key lease and a retry took the key over: that one
                        // places the order.
                        return releaseQuietly(id).chain(() -> Uni.createFrom().failure(new ProblemException(
                                Problem.of(Response.Status.CONFLICT, "a request with this Idempotency-Key is still in "
                                        + "progress").withError("idempotency_in_progress"), "1")));
                    }
                    // The order stands, stored as unconfirmed, and its stock is held: the hold is confirmed in
                    // a batch with other orders' after this answer; if that fails, or this process dies first, a
                    // background job of any replica confirms it before it lapses (ReservationConfirmations).
                    confirmations.submit(id);
                    return Uni.createFrom().item(Response.created(URI.create("/orders/" + id)).entity(order).build());
                });
    }

    /** The order still stands after a take-back that failed. */
    private static final class OrderMayStand extends RuntimeException {
        OrderMayStand() {
            super("the order may still stand", null, false, false);
        }
    }

    /**
     * After a failed take-back: completes when the order is known not to stand, fails ({@link OrderMayStand}) when it
     * stands or Redis did not answer. Absent on the primary (the take-back's delete ran, its wait for a replica did
     * not), or a read Redis refused outright (say, NOPERM) as it refused the writes before it: nothing was written.
     */
    private Uni<Void> knownGone(String orderId) {
        return orders.findAsync(orderId)
                .onFailure(failure -> !RedisFailures.isUnavailable(failure)).recoverWithItem(Optional.empty())
                .onFailure().transform(unanswered -> new OrderMayStand())
                .chain(found -> found.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new OrderMayStand()));
    }

    private Uni<Void> releaseQuietly(String orderId) {
        // the hold lapses on its own if this fails
        return inventory.release(orderId).onFailure().recoverWithNull();
    }

    @GET
    @PermissionsAllowed("orders:read")
    public OrderPage list(@QueryParam("offset") @DefaultValue("0") String offsetParam,
                          @QueryParam("limit") @DefaultValue("20") String limitParam) {
        int offset = intParam("offset", offsetParam, 0, Integer.MAX_VALUE);
        int limit = intParam("limit", limitParam, 1, 100);
        // A person sees their own orders; an admin sees everyone's.
        String owner = Roles.has(token, Roles.ADMIN) ? null : token.getSubject();
        return new OrderPage(orders.list(owner, offset, limit), offset, limit, orders.count(owner));
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed("orders:read")
    public Order get(@PathParam("id") String id) {
        return visible(id);
    }

    /** The owner or an admin cancels a placed order; its stock goes back to inventory. */
    @POST
    @Path("/{id}/cancel")
    @PermissionsAllowed("orders:write")
    public Order cancel(@PathParam("id") String id) {
        Order order = visible(id);
        if (order.status().equals(Order.CANCELLED)) {
            return reasserted(order);
        }
        requireStatus(order, Order.PLACED, "cancelled");
        // Recorded before inventory is called: from here on the cancellation finishes, by this request, a retry of
        // it, or SettlementRepairs, whatever fails between the stock's write and the order's.
        SettlementIntents.Intent intent = begin(id, SettlementIntents.Target.CANCELLED);
        try {
            awaitInventory(inventory.release(id), SettlementIntents.Target.CANCELLED);
        } catch (InventoryClient.ReservationStateException e) {
            if (e.committed()) {
                // A fulfil shipped the stock first: the order is fulfilled, not cancellable. Stored so now, whatever a
                // fulfil that stopped half-way left behind (this request's intent replaced its record).
                align(order, Order.FULFILLED, intent);
                throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                        "the order's stock has shipped; it cannot be cancelled").withError("invalid_transition"));
            }
            // Otherwise nothing is reserved any more (a lapsed hold): there is no stock to give back.
        }
        return settle(order.withStatus(Order.CANCELLED), "cancelled", intent);
    }

    /** An admin marks a placed order shipped; its reserved stock leaves inventory. */
    @POST
    @Path("/{id}/fulfil")
    @PermissionsAllowed("orders:write")
    public Order fulfil(@PathParam("id") String id) {
        Roles.require(token, Roles.ADMIN);
        Order order = visible(id);
        if (order.status().equals(Order.FULFILLED)) {
            return reasserted(order);
        }
        requireStatus(order, Order.PLACED, "fulfilled");
        SettlementIntents.Intent intent = begin(id, SettlementIntents.Target.FULFILLED);
        try {
            awaitInventory(inventory.commit(id), SettlementIntents.Target.FULFILLED);
        } catch (InventoryClient.ReservationStateException e) {
            if (e.givenBack()) {
                // The stock went back (a cancel released it, or the hold lapsed): the order cannot ship and is stored
                // cancelled, as ReservationConfirmations does for a lapsed hold and SettlementRepairs for this.
                align(order, Order.CANCELLED, intent);
            }
            if (!e.committed()) {
                // A reservation inventory does not know (or not say) leaves the order as it is.
                intents.end(intent);
                throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                        "the order's stock is no longer reserved").withError("reservation_lost"));
            }
            // Already committed: an earlier fulfil of this order shipped it.
        }
        return settle(order.withStatus(Order.FULFILLED), "fulfilled", intent);
    }

    /**
     * Stores a transition out of {@code placed} only if the order is still placed (compare-and-set): inventory
     * already decided between a racing cancel and fulfil, and the losing one must not overwrite the winner.
     */
    private Order settle(Order next, String target, SettlementIntents.Intent intent) {
        OrderStore.Transition t = fromPlaced(next);
        Order result = next;
        if (!t.moved()) {
            Order now = t.current().orElseThrow(() -> new ProblemException(Problem.of(Response.Status.NOT_FOUND,
                    "no order " + next.id())));
            if (!now.status().equals(next.status())) {
                finished(intent);
                throw new ProblemException(Problem.of(Response.Status.CONFLICT, "a " + now.status()
                        + " order cannot be " + target).withError("invalid_transition"));
            }
            // Already so, written by another attempt that may have been answered 503: answered once durable.
            result = reasserted(now);
        }
        finished(intent);
        return result;
    }

    /** The compare-and-set out of {@code placed}; a failed write is 503, the intent staying for the repair job. */
    private OrderStore.Transition fromPlaced(Order next) {
        try {
            return orders.transition(Order.PLACED, next);
        } catch (RuntimeException e) {
            throw notStored(e, "the order's new status could not be stored");
        }
    }

    /** The order's write is done: off the unconfirmed list, and its intent ended. */
    private void finished(SettlementIntents.Intent intent) {
        confirmedQuietly(intent.orderId());
        intents.end(intent);
    }

    /** An admin removes an order; a placed one gives its stock back first. */
    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("orders:write")
    public Response delete(@PathParam("id") String id) {
        Roles.require(token, Roles.ADMIN);
        Order order = visible(id);
        if (!order.status().equals(Order.PLACED)) {
            orders.delete(order);
            return Response.noContent().build();
        }
        SettlementIntents.Intent intent = begin(id, SettlementIntents.Target.DELETED);
        releaseOrFail(id);
        try {
            orders.delete(order);
        } catch (RuntimeException e) {
            throw notStored(e, "the order could not be removed");
        }
        intents.end(intent);
        return Response.noContent().build();
    }

    /**
     * The second write of a settlement failed after inventory took the first. The intent stays recorded, so the
     * request is finished by SettlementRepairs or by a retry of it (idempotent); the client is told both.
     */
    private ProblemException notStored(RuntimeException cause, String what) {
        LOG.warnf("%s; it completes in the background (%s)", what, RedisFailures.describe(cause));
        return new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE, what + "; it is recorded and "
                + "completes in the background, and retrying this request is safe").withError("storage_unavailable"),
                Integer.toString(config.retryAfterSeconds()));
    }

    /**
     * Records a cancel, fulfil or delete before its first write. Another change of the order that is recorded and not
     * finished goes first: 409 with Retry-After, by when the repair job has finished it.
     */
    private SettlementIntents.Intent begin(String id, SettlementIntents.Target target) {
        try {
            return intents.begin(id, target);
        } catch (SettlementIntents.InProgress e) {
            throw new ProblemException(Problem.of(Response.Status.CONFLICT, e.getMessage() + "; it goes first")
                    .withError("settlement_in_progress"),
                    Long.toString(config.settlementRetryAfter().plusSeconds(10).toSeconds()));
        }
    }

    /**
     * Awaits a settlement's inventory step. Without an answer the stock may or may not have moved; the intent stays
     * recorded, so the step is taken again once inventory-service is back, and the client is told so.
     */
    private void awaitInventory(Uni<Void> step, SettlementIntents.Target target) {
        String what = target.noun();
        try {
            step.await().indefinitely();
        } catch (InventoryClient.InventoryUnavailableException
                 | org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException e) {
            LOG.warnf("inventory-service unavailable for a %s: %s", what, e.getMessage());
            throw new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "inventory-service is "
                    + "unavailable; the " + what + " is recorded and completes once it is back, and retrying this "
                    + "request is safe").withError("inventory_unavailable"), Integer.toString(config.retryAfterSeconds()));
        }
    }

    /**
     * Stores the status inventory's answer says the order has now, when it is still placed, and ends the intent: the
     * request then fails, but the order no longer waits for the repair job to match its stock.
     */
    private void align(Order order, String status, SettlementIntents.Intent intent) {
        fromPlaced(order.withStatus(status));
        finished(intent);
    }

    /**
     * A repeated cancel or fulfil of an order already in that status: answered once the status is durable. The first
     * request may have been answered 503 after writing it to a primary that no replica had caught up with yet; reading
     * it back from that primary proves nothing, so it is written again, and waited for (DurableWrites).
     */
    private Order reasserted(Order order) {
        OrderStore.Transition t;
        try {
            t = orders.transition(order.status(), order);
        } catch (RuntimeException e) {
            // Nothing is recorded for this one: the client's retry is what completes it.
            LOG.warnf("A repeated request found its order's status not yet durable: %s", RedisFailures.describe(e));
            throw new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "the order's status could not "
                    + "be confirmed as stored; retry this request").withError("storage_unavailable"),
                    Integer.toString(config.retryAfterSeconds()));
        }
        return t.moved() ? order : t.current().orElseThrow(() -> new ProblemException(
                Problem.of(Response.Status.NOT_FOUND, "no order " + order.id())));
    }

    private void confirmedQuietly(String id) {
        try {
            orders.confirmed(id);
        } catch (RuntimeException e) {
            // ReservationConfirmations meets the order again, finds it settled and drops it.
            LOG.debugf("Order %s stays listed as unconfirmed: %s", id, e.getMessage());
        }
    }

    private void releaseOrFail(String id) {
        try {
            awaitInventory(inventory.release(id), SettlementIntents.Target.DELETED);
        } catch (InventoryClient.ReservationStateException gone) {
            // Nothing is reserved any more (a lapsed hold): there is no stock to give back.
        }
    }

    private static void requireStatus(Order order, String required, String target) {
        if (!order.status().equals(required)) {
            // Only placed → cancelled and placed → fulfilled exist.
            throw new ProblemException(Problem.of(Response.Status.CONFLICT, "a " + order.status()
                    + " order cannot be " + target).withError("invalid_transition"));
        }
    }

    private Order visible(String id) {
        if (!ORDER_ID.matcher(id).matches()) {
            throw new ProblemException(Problem.badRequest("id", "id must be an order id"));
        }
        // Another owner's order answers like a missing one, so ids of others cannot be probed.
        return orders.find(id)
                .filter(o -> o.owner().equals(token.getSubject()) || Roles.has(token, Roles.ADMIN))
                .orElseThrow(() -> new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no order " + id)));
    }

    private static int intParam(String field, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw invalid(field, field + " must be a whole number between " + min + " and " + max);
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
        // The cap is per item, not per line: repeating a sku must not reserve more of it than one line may.
        Map<String, Integer> perSku = new java.util.HashMap<>();
        for (OrderLine line : lines) {
            if (perSku.merge(line.sku(), line.quantity(), Integer::sum) > config.maxQuantity()) {
                throw invalid("lines", "the lines for " + line.sku() + " add up to more than " + config.maxQuantity());
            }
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
        // RFC 9110 §15.5.10: a refusal for the state of the stock (a discontinued item) is a conflict, not a malformed
        // request; its details (which skus) go to the caller as inventory gave them.
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        e.problem().path("details").fields().forEachRemaining(field -> details.put(field.getKey(), field.getValue()));
        return Problem.of(e.status() == 409 ? Response.Status.CONFLICT : Response.Status.BAD_REQUEST, detail)
                .withError(e.problem().path("error").asText("invalid_request"))
                .withErrors(errors.isEmpty() ? null : errors)
                .withDetails(details.isEmpty() ? null : details);
    }
}
