package io.authsuite.inventory.client;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
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

    /**
     * orders-service answered and refused: asking again at once gets the same answer ({@code 409
     * cancellation_in_progress} asks for 10 s; a 403 is a registration's mistake). Not retried here and not counted by
     * the circuit breaker; {@link DiscontinuedNotifier}'s next round asks again.
     */
    public static final class OrdersRefusedException extends RuntimeException {
        public OrdersRefusedException(int status, Throwable cause) {
            super("orders-service refused the cancellations with " + status, cause);
        }
    }

    /** @return how many orders were cancelled */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 100, abortOn = OrdersRefusedException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = OrdersRefusedException.class)
    @CircuitBreakerName(CIRCUIT)
    public int cancelOpenOrdersWith(String sku) {
        try {
            return api.cancelOpenOrdersWith(new OrdersApi.Cancellation(sku)).cancelled();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            // A 401 is retried: the service token filter fetches a new token for the retry (a retired signing key).
            // 408 and 429 ask for another try; 5xx may pass.
            if (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429) {
                throw new OrdersRefusedException(status, e);
            }
            throw e;
        }
    }
}
