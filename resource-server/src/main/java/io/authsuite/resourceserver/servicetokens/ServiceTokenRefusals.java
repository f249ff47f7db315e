package io.authsuite.resourceserver.servicetokens;

import io.quarkus.arc.Unremovable;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientRequestContext;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientResponseFilter;

/**
 * Tells {@link ServiceTokenFilter} that the other service refused its token. A {@link ResteasyReactiveClientResponseFilter}
 * runs on the thread that received the answer (the event loop); a plain JAX-RS response filter, as Quarkus' own 401
 * detection is, sends every answer to a worker thread and back (orders-service spent 8-10% more CPU per order under
 * {@code make bench-orders}).
 */
@Singleton
@Unremovable // registered on the REST clients with @RegisterProvider, never injected there
// Response filters run from the highest priority down: this one must see the 401 before the REST client's own filter
// (Priorities.USER) turns it into an exception, as Quarkus' own 401 detection does at the same priority.
@Priority(Priorities.USER + 100)
public class ServiceTokenRefusals implements ResteasyReactiveClientResponseFilter {

    private final ServiceTokenFilter tokens;

    public ServiceTokenRefusals(ServiceTokenFilter tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ResteasyReactiveClientRequestContext request, ClientResponseContext response) {
        // RFC 6750 §3.1: 401 answers an expired, revoked or otherwise invalid token. Keeping the cached one until its
        // expiry would fail every call until then.
        if (response.getStatus() == 401) {
            tokens.refused(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        }
    }
}
