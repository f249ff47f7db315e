package io.authsuite.orders.api;

import io.authsuite.orders.client.InventoryClient;
import io.authsuite.orders.config.OrdersConfig;
import io.authsuite.resourceserver.web.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * When inventory-service cannot be used (unreachable, failing, timed out, or its circuit open), an order cannot
 * be placed: 503 with {@code Retry-After}, and nothing is stored.
 */
public class InventoryFailureMappers {

    private static final Logger LOG = Logger.getLogger(InventoryFailureMappers.class);

    private final OrdersConfig config;

    public InventoryFailureMappers(OrdersConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response unavailable(InventoryClient.InventoryUnavailableException e) {
        LOG.warnf("inventory-service unavailable: %s", e.getMessage());
        return serviceUnavailable();
    }

    @ServerExceptionMapper
    public Response faultTolerance(FaultToleranceException e) {
        LOG.warnf("inventory-service call stopped: %s", e.toString());
        return serviceUnavailable();
    }

    private Response serviceUnavailable() {
        return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "inventory-service is unavailable, try again later")
                .withError("inventory_unavailable")
                .toResponse()
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()))
                .build();
    }
}
