package io.authsuite.inventory.client;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Tells orders-service to cancel the open orders that hold a discontinued item; idempotent, so retried. */
@ApplicationScoped
public class OrdersClient {

    public static final String CIRCUIT = "orders-cancellations";

    private final OrdersApi api;

    public OrdersClient(@RestClient OrdersApi api) {
        this.api = api;
    }

    /** @return how many orders were cancelled */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    @CircuitBreakerName(CIRCUIT)
    public int cancelOpenOrdersWith(String sku) {
        return api.cancelOpenOrdersWith(new OrdersApi.Cancellation(sku)).cancelled();
    }
}
