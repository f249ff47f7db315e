package io.authsuite.auth.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses to start with an issuer that is no issuer identifier. Every endpoint in the metadata, the DPoP {@code htu}
 * and the audiences of client assertions are the issuer with a path appended, so a trailing slash or a query would
 * put a wrong URL in each of them; and an issuer reached over plain HTTP gives its tokens' audience nothing to trust.
 */
@ApplicationScoped
public class IssuerCheck {

    void check(@Observes StartupEvent event, AuthConfig config) {
        problem(config.issuer()).ifPresent(problem -> {
            throw new IllegalStateException("auth.issuer " + config.issuer() + ": " + problem + "; refusing to start");
        });
    }

    /** What is wrong with an issuer identifier, if anything. */
    public static Optional<String> problem(String issuer) {
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        // RFC 8414 §2 and OpenID Connect Discovery §3: a URL using the https scheme, with no query or fragment.
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of("must be an https URL with a host");
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            // Plain HTTP only where nothing leaves the machine: a local run, a port-forward (RFC 8252 §8.3's reasoning).
            return Optional.of("must use https (http only on a loopback address)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return Optional.of("must have no query, fragment or user info");
        }
        if (uri.getRawPath() != null && uri.getRawPath().endsWith("/")) {
            return Optional.of("must not end with '/': endpoints are appended to it");
        }
        return Optional.empty();
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only literals are parsed: a name is not looked up.
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
