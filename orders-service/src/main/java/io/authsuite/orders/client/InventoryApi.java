package io.authsuite.orders.client;

import io.authsuite.resourceserver.servicetokens.ServiceTokenFilter;
import io.authsuite.resourceserver.servicetokens.ServiceTokenRefusals;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * inventory-service's HTTP API as seen from orders-service. {@link ServiceTokenFilter} adds orders-service's own
 * client-credentials token, obtained from auth-service and cached until shortly before it expires. The calls return
 * {@link Uni}, so that they never hold a thread while inventory-service answers.
 */
@RegisterRestClient(configKey = "inventory")
@RegisterProvider(ServiceTokenFilter.class)
@RegisterProvider(ServiceTokenRefusals.class)
@Path("/inventory")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface InventoryApi {

    record Line(String sku, int quantity) {
    }

    record ReservationRequest(String orderId, java.util.List<Line> lines) {
    }

    record Reservation(String orderId, java.util.List<Line> lines, String status, long expiresAt) {
    }

    record Confirmations(java.util.List<String> orderIds) {
    }

    record ConfirmationResult(String orderId, String outcome, String status) {
    }

    record ConfirmationResults(java.util.List<ConfirmationResult> results) {
    }

    @POST
    @Path("/reservations")
    Uni<Reservation> reserve(ReservationRequest request);

    @POST
    @Path("/reservations/confirmations")
    Uni<ConfirmationResults> confirmAll(Confirmations orderIds);

    @POST
    @Path("/reservations/{orderId}/commit")
    Uni<Reservation> commit(@PathParam("orderId") String orderId);

    @POST
    @Path("/reservations/{orderId}/release")
    Uni<Reservation> release(@PathParam("orderId") String orderId);
}
