package io.authsuite.orders.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The reservation call of inventory-service made for a person, with a token exchanged for them
 * ({@link io.authsuite.orders.exchange.OnBehalfTokens}). No OIDC client filter here: it would put orders-service's
 * own token in the Authorization header this call sets.
 */
@RegisterRestClient(configKey = "inventory")
@Path("/inventory")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface InventoryOnBehalfApi {

    @POST
    @Path("/reservations")
    Uni<InventoryApi.Reservation> reserve(@HeaderParam("Authorization") String authorization,
                                          InventoryApi.ReservationRequest request);
}
