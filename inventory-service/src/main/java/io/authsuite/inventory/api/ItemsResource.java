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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
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

    /** Creates or updates an item, stock included (admin). */
    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inventory:write")
    public Response put(@PathParam("sku") String sku, ItemInput input) {
        Roles.require(token, Roles.ADMIN);
        Validation.sku("sku", sku);
        if (input == null) {
            throw Validation.invalid("body", "is required");
        }
        if (input.name() == null || input.name().isBlank() || input.name().length() > 200) {
            throw Validation.invalid("name", "must be 1-200 characters");
        }
        if (input.price() == null || input.price().amount() < 0) {
            throw Validation.invalid("price.amount", "must be zero or more (minor units)");
        }
        if (input.price().currency() == null || !input.price().currency().matches("[A-Z]{3}")) {
            throw Validation.invalid("price.currency", "must be an ISO 4217 code such as EUR");
        }
        if (input.stock() == null || input.stock() < 0 || input.stock() > 1_000_000_000L) {
            throw Validation.invalid("stock", "must be between 0 and 1000000000");
        }
        boolean created = store.upsert(sku, input.name().trim(), input.price(), input.stock());
        Item item = store.find(sku).orElseThrow();
        return (created ? Response.created(URI.create("/inventory/items/" + sku)) : Response.ok()).entity(item).build();
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

    @GET
    @Path("/{sku}")
    @PermissionsAllowed("inventory:read")
    public Item get(@PathParam("sku") String sku) {
        Validation.sku("sku", sku);
        return store.find(sku).orElseThrow(() ->
                new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no item with sku " + sku)));
    }
}
