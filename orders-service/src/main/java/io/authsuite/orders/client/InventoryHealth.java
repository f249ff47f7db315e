package io.authsuite.orders.client;

import io.authsuite.orders.settle.SettlementIntents;
import io.authsuite.orders.store.OrderStore;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data about inventory-service as this service's circuit breakers see it, and how many stored orders
 * still wait for their reservation to be confirmed, or for their cancellation, fulfilment or deletion to be finished.
 * An open circuit means new orders get 503 until inventory recovers while everything else keeps working, so the check
 * stays UP and says what is degraded.
 */
@Readiness
@ApplicationScoped
public class InventoryHealth implements HealthCheck {

    private final CircuitBreakerMaintenance circuits;
    private final OrderStore orders;
    private final SettlementIntents settlements;

    public InventoryHealth(CircuitBreakerMaintenance circuits, OrderStore orders, SettlementIntents settlements) {
        this.circuits = circuits;
        this.settlements = settlements;
        this.orders = orders;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("inventory-service").up();
        for (String circuit : InventoryClient.CIRCUITS) {
            health.withData(circuit, circuits.currentState(circuit).name().toLowerCase(Locale.ROOT));
        }
        try {
            health.withData("unconfirmed-orders", orders.unconfirmedCount());
        } catch (RuntimeException e) {
            // Redis has its own readiness check; this one only reports.
            health.withData("unconfirmed-orders", "unknown: " + e.getClass().getSimpleName());
        }
        try {
            // Cancellations, fulfilments and deletions under way or waiting for SettlementRepairs.
            health.withData("unsettled-orders", settlements.size());
        } catch (RuntimeException e) {
            health.withData("unsettled-orders", "unknown: " + e.getClass().getSimpleName());
        }
        return health.build();
    }
}
