package io.authsuite.inventory.client;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data about orders-service: the state of the circuit of the cancellation calls and how many
 * discontinued items it has not yet been told of. Those wait in Redis and are retried, so the check stays UP.
 */
@Readiness
@ApplicationScoped
public class OrdersHealth implements HealthCheck {

    private final CircuitBreakerMaintenance circuits;
    private final DiscontinuedNotifier notifier;

    public OrdersHealth(CircuitBreakerMaintenance circuits, DiscontinuedNotifier notifier) {
        this.circuits = circuits;
        this.notifier = notifier;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("orders-service").up()
                .withData(OrdersClient.CIRCUIT, circuits.currentState(OrdersClient.CIRCUIT).name().toLowerCase(Locale.ROOT));
        try {
            health.withData("pending-cancellations", notifier.pending());
        } catch (RuntimeException e) {
            // Redis has its own readiness check; this one only reports.
            health.withData("pending-cancellations", "unknown: " + e.getClass().getSimpleName());
        }
        return health.build();
    }
}
