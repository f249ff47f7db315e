package io.authsuite.auth.web;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client address of a request, for throttling. Behind a proxy (the Ingress), Quarkus' proxy support
 * ({@code quarkus.http.proxy.*}) replaces the socket's address with the forwarded one, but only for connections
 * from {@code quarkus.http.proxy.trusted-proxies}; a forwarded header from anyone else is ignored.
 */
@ApplicationScoped
public class Addresses {

    public static String of(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    /**
     * Refuses to start when forwarded headers are honoured from every peer: Quarkus trusts all proxies when
     * {@code trusted-proxies} is empty, and then any caller could pick the address it is throttled under.
     */
    void check(@Observes StartupEvent event,
               @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarding,
               @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trusted) {
        if (forwarding && trusted.map(List::isEmpty).orElse(true)) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding=true without "
                    + "quarkus.http.proxy.trusted-proxies would let any caller choose its address: refusing to start");
        }
    }
}
