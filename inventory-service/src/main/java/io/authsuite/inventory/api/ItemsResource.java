package io.authsuite.inventory.api;

import io.authsuite.inventory.client.DiscontinuedNotifier;
import io.authsuite.inventory.config.InventoryConfig;
import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.domain.Money;
import io.authsuite.resourceserver.security.Roles;
import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.resourceserver.web.Problem;
import io.authsuite.resourceserver.web.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.Context;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reading items and their stock. */
@Path("/inventory/items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemsResource {

    private final InventoryStore store;
    private final InventoryConfig config;
    private final JsonWebToken token;
    private final DiscontinuedNotifier notifier;

    public ItemsResource(InventoryStore store, InventoryConfig config, JsonWebToken token, DiscontinuedNotifier notifier) {
        this.notifier = notifier;
        this.store = store;
        this.config = config;
        this.token = token;
    }

    /** A page of items in sku order. */
    public record ItemPage(List<Item> items, int offset, int limit, long total) {
    }

    @GET
    @PermissionsAllowed("inventory:read")
    public ItemPage list(@QueryParam("offset") @DefaultValue("0") String offsetParam,
                         @QueryParam("limit") @DefaultValue("20") String limitParam) {
        int offset = Validation.intParam("offset", offsetParam, 0, Integer.MAX_VALUE);
        int limit = Validation.intParam("limit", limitParam, 1, config.maxPageSize());
        return new ItemPage(store.list(offset, limit), offset, limit, store.count());
    }

    /** Body of {@code PUT /inventory/items/{sku}}. */
    public record ItemInput(String name, Money price, Long stock) {
    }

    /**
     * Creates or updates an item, stock included (admin). {@code If-Match} with the entity tag of a read makes the
     * write conditional on nothing having changed since, an order's hold included: stock is set absolutely, and
     * without it a stock computed from an older read would undo the orders placed meanwhile. {@code If-None-Match: *}
     * creates only.
     */
    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inventory:write")
    public Response put(@PathParam("sku") String sku, ItemInput input,
                        @HeaderParam(HttpHeaders.IF_MATCH) List<String> ifMatchHeader,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) List<String> ifNoneMatchHeader) {
        Roles.require(token, Roles.ADMIN);
        Validation.sku("sku", sku);
        EntityTags ifMatch = EntityTags.parse(HttpHeaders.IF_MATCH, ifMatchHeader);
        EntityTags ifNoneMatch = EntityTags.parse(HttpHeaders.IF_NONE_MATCH, ifNoneMatchHeader);
        if (input == null) {
            throw Validation.invalid("body", "is required");
        }
        Validation.displayText("name", input.name(), 200);
        if (input.price() == null || input.price().amount() < 0) {
            throw Validation.invalid("price.amount", "must be zero or more (minor units)");
        }
        if (input.price().currency() == null || !input.price().currency().matches("[A-Z]{3}")) {
            throw Validation.invalid("price.currency", "must be an ISO 4217 code such as EUR");
        }
        if (input.stock() == null || input.stock() < 0 || input.stock() > 1_000_000_000L) {
            throw Validation.invalid("stock", "must be between 0 and 1000000000");
        }
        InventoryStore.Upsert outcome = store.upsert(sku, input.name().trim(), input.price(), input.stock(),
                condition(ifMatch, ifMatch.strong()), condition(ifNoneMatch, ifNoneMatch.all()));
        Optional<Item> item = store.find(sku);
        if (outcome == InventoryStore.Upsert.PRECONDITION_FAILED) {
            // RFC 9110 §13.1.1: a failed If-Match (or If-None-Match on a PUT) MUST NOT perform the method: 412.
            Response.ResponseBuilder failed = Problem.of(Response.Status.PRECONDITION_FAILED, item.isPresent()
                    ? "item " + sku + " is not in the state the request's precondition names: read it again"
                    : "no item with sku " + sku + " to match").withError("precondition_failed").toResponse();
            item.ifPresent(current -> failed.header(HttpHeaders.ETAG, quoted(InventoryStore.entityTag(current))));
            return failed.build();
        }
        // No ETag here: the stored item is not the body sent (trimmed, with its holds and status), and RFC 9110
        // §9.3.4 forbids a validator in a PUT's success then. A GET gives the tag for the next conditional PUT.
        return (outcome == InventoryStore.Upsert.CREATED ? Response.created(URI.create("/inventory/items/" + sku))
                : Response.ok()).entity(item.orElseThrow()).build();
    }

    private static InventoryStore.Condition condition(EntityTags tags, List<String> compared) {
        return tags.present() ? new InventoryStore.Condition(tags.any(), compared) : null;
    }

    private static String quoted(String opaqueTag) {
        return '"' + opaqueTag + '"';
    }

    /** Takes an item off sale (admin); open orders holding it are cancelled by orders-service. */
    @POST
    @Path("/{sku}/discontinue")
    @PermissionsAllowed("inventory:write")
    public Item discontinue(@PathParam("sku") String sku) {
        Roles.require(token, Roles.ADMIN);
        Validation.sku("sku", sku);
        if (store.find(sku).isEmpty()) {
            throw new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no item with sku " + sku));
        }
        notifier.record(sku);
        if (!store.discontinue(sku)) {
            // Removed in between: orders-service is told of a sku no open order can hold, which changes nothing.
            throw new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no item with sku " + sku));
        }
        // Again: another replica's scheduled send may have told orders-service, and struck the sku, between the record
        // and the status, and an order reserved in that gap must still be swept.
        notifier.record(sku);
        notifier.notifyNow(sku);
        return store.find(sku).orElseThrow();
    }

    /**
     * One item, with its entity tag; {@code If-None-Match} naming it answers 304 (RFC 9110 §13.1.2). The item is the
     * method's type and the tag goes on the response directly: a {@code RestResponse} here cost each read 13-35 µs of
     * CPU in alternated {@code make bench-orders} runs, as its writer is chosen per response. A {@link Uni}, so the read
     * runs on the event loop: on a worker each read cost a hand-over and back, and under {@code make bench-orders}'s 32
     * connections the pool grew to 33 threads, each holding its own allocation chunk and Netty buffer cache.
     */
    @GET
    @Path("/{sku}")
    @PermissionsAllowed("inventory:read")
    public Uni<Item> get(@PathParam("sku") String sku, @HeaderParam(HttpHeaders.IF_NONE_MATCH) List<String> ifNoneMatchHeader,
                         @Context HttpServerResponse response) {
        Validation.sku("sku", sku);
        EntityTags ifNoneMatch = EntityTags.parse(HttpHeaders.IF_NONE_MATCH, ifNoneMatchHeader);
        return store.lookup(sku).map(found -> {
            Item item = found.orElseThrow(() ->
                    new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no item with sku " + sku)));
            String tag = InventoryStore.entityTag(item);
            if (ifNoneMatch.present() && ifNoneMatch.matchesWeakly(tag)) {
                throw new NotModified(quoted(tag));
            }
            response.putHeader(HttpHeaders.ETAG, quoted(tag));
            return item;
        });
    }

    /** A conditional read whose representation the client holds: 304, no body (rare, so an exception is cheap enough). */
    static final class NotModified extends RuntimeException {
        private final String etag;

        NotModified(String etag) {
            super(null, null, false, false);
            this.etag = etag;
        }
    }

    @ServerExceptionMapper
    Response notModified(NotModified e) {
        return Response.notModified().header(HttpHeaders.ETAG, e.etag).build();
    }
}
