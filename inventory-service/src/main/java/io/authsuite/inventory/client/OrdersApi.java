package io.authsuite.inventory.client;

import io.authsuite.resourceserver.servicetokens.ServiceTokenFilter;
import io.authsuite.resourceserver.servicetokens.ServiceTokenRefusals;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * orders-service's API as seen from inventory-service, with inventory-service's own client-credentials token
 * (quarkus-oidc-client, cached until shortly before it expires).
 */
@RegisterRestClient(configKey = "orders")
@RegisterProvider(ServiceTokenFilter.class)
@RegisterProvider(ServiceTokenRefusals.class)
@Path("/orders")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface OrdersApi {

    record Cancellation(String sku) {
    }

    record Cancelled(int cancelled) {
    }

    @POST
    @Path("/cancellations")
    Cancelled cancelOpenOrdersWith(Cancellation request);
}
