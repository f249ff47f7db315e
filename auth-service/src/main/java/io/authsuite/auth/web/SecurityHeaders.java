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
        boolean ownPolicy = headers.containsKey("Content-Security-Policy");
        fixed(https).forEach((name, value) -> {
            if (!(ownPolicy && name.equals("Content-Security-Policy"))) {
                headers.putSingle(name, value);
            }
        });
    }

    /** The headers every response carries; a page may set its own Content-Security-Policy instead of this one. */
    public static java.util.Map<String, String> fixed(boolean https) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (https) {
            // RFC 6797 §6.1 / RFC 9700 §2.6: once a browser has reached the sign-in pages over https, it never sends a
            // password or a session cookie over plain http to this host; set here, not left to the Ingress' defaults.
            headers.put("Strict-Transport-Security", "max-age=31536000");
        }
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", "frame-ancestors 'none'; default-src 'self'; object-src 'none'");
        headers.put("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with the forms' POSTs (Fetch
        // standard, serializing a request origin), and the CSRF check must not accept null.
        headers.put("Referrer-Policy", "same-origin");
        return headers;
    }
}
