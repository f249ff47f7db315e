package io.authsuite.auth.web;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Headers on every response: no framing (clickjacking, RFC 9700 §4.16), no MIME sniffing, no referrer leaking
 * codes or request ids to other origins.
 */
public class SecurityHeaders {

    private final boolean https;

    public SecurityHeaders(io.authsuite.auth.config.AuthConfig config) {
        this.https = config.issuer().startsWith("https://");
    }

    @ServerResponseFilter
    public void add(ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        if (https) {
            // RFC 6797 §6.1 / RFC 9700 §2.6: once a browser has reached the sign-in pages over https, it never sends a
            // password or a session cookie over plain http to this host; set here, not left to the Ingress' defaults.
            headers.putSingle("Strict-Transport-Security", "max-age=31536000");
        }
        headers.putSingle("X-Frame-Options", "DENY");
        if (!headers.containsKey("Content-Security-Policy")) {
            headers.putSingle("Content-Security-Policy", "frame-ancestors 'none'; default-src 'self'; object-src 'none'");
        }
        headers.putSingle("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with the forms' POSTs (Fetch
        // standard, serializing a request origin), and the CSRF check must not accept null.
        headers.putSingle("Referrer-Policy", "same-origin");
    }
}
