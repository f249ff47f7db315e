package io.authsuite.inventory.api;

import io.authsuite.inventory.config.InventoryConfig;
import io.authsuite.inventory.domain.Item;
import io.authsuite.inventory.store.InventoryStore;
import io.authsuite.resourceserver.web.Problem;
import io.authsuite.resourceserver.web.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Reading items and their stock. */
@Path("/inventory/items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemsResource {

    private final InventoryStore store;
    private final InventoryConfig config;

    public ItemsResource(InventoryStore store, InventoryConfig config) {
        this.store = store;
        this.config = config;
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

    @GET
    @Path("/{sku}")
    @PermissionsAllowed("inventory:read")
    public Item get(@PathParam("sku") String sku) {
        Validation.sku("sku", sku);
        return store.find(sku).orElseThrow(() ->
                new ProblemException(Problem.of(Response.Status.NOT_FOUND, "no item with sku " + sku)));
    }
}
