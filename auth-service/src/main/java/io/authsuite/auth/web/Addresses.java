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
     * What a per-address budget counts: an IPv4 address, or the /64 an IPv6 address lies in. One host or home line
     * is given a whole /64, so counting single IPv6 addresses gave each caller 2^64 fresh budgets (RFC 6749 §10.10,
     * RFC 6819 §5.1.4.2.3: guessing must be slowed, per source). The audit trail keeps the full address ({@link #of}).
     */
    public static String source(HttpServerRequest request) {
        return source(of(request));
    }

    static String source(String address) {
        byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null || bytes.length == 4) {
            return address;
        }
        boolean mapped = true;
        for (int i = 0; i < 12; i++) {
            mapped &= bytes[i] == (i < 10 ? 0 : (byte) 0xff);
        }
        if (mapped) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
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
