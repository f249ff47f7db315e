package io.authsuite.auth.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** What a registered redirect URI may be. */
public final class RedirectUriRules {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]", "localhost");
    private static final Set<String> UNSAFE_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "blob",
            "about");

    private RedirectUriRules() {
    }

    /** RFC 6749 §3.1.2: an absolute URI without a fragment; null when it is one, else what is wrong. */
    public static String shapeProblem(String uri) {
        try {
            URI parsed = new URI(uri);
            if (!parsed.isAbsolute()) {
                return uri + " is not an absolute URI";
            }
            if (parsed.getRawFragment() != null) {
                return uri + " has a fragment";
            }
            // RFC 6749 §3.1.2: a redirection endpoint is a client's endpoint; a browser would run or read these
            // locally instead, with the code in them, whoever registered the client.
            if (UNSAFE_SCHEMES.contains(parsed.getScheme().toLowerCase(Locale.ROOT))) {
                return uri + ": the " + parsed.getScheme() + " scheme is no redirection endpoint";
            }
            return null;
        } catch (URISyntaxException | NullPointerException e) {
            return "a redirect URI is malformed";
        }
    }

    /**
     * For a client an administrator registers: beyond the shape, no plain http except to the loopback interface
     * (RFC 9700 §2.6: authorization responses MUST NOT cross a network unencrypted). Loopback is allowed for any client
     * here, not only native apps, since nothing sent there leaves the machine (a developer's local web app). Null
     * when it is acceptable, else what is wrong.
     */
    public static String administeredProblem(String uri) {
        String shape = shapeProblem(uri);
        if (shape != null) {
            return shape;
        }
        URI parsed = URI.create(uri);
        if (parsed.getScheme().equalsIgnoreCase("http") && !isLoopback(parsed)) {
            return uri + ": http is only for a loopback redirect (127.0.0.1, [::1], localhost); use https";
        }
        return null;
    }

    /**
     * For a client that registered itself (RFC 7591), which nobody vetted: beyond the shape, https; http only to a
     * loopback address (RFC 8252 §7.3); a private-use scheme with a dot, reverse-DNS style (§7.1), for native apps.
     * Null when it is acceptable, else what is wrong.
     */
    public static String selfRegisteredProblem(String uri, boolean nativeApp) {
        String shape = shapeProblem(uri);
        if (shape != null) {
            return shape;
        }
        URI parsed = URI.create(uri);
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return parsed.getHost() == null ? uri + " names no host" : null;
        }
        if (scheme.equals("http")) {
            // RFC 9700 §2.6: plain http only where nothing crosses a network: the loopback interface of a native app,
            // named by its IP literal (RFC 8252 §8.3: localhost is NOT RECOMMENDED, and only a literal may change its
            // port at authorization, §7.3).
            if (nativeApp && parsed.getHost() != null && parsed.getHost().equalsIgnoreCase("localhost")) {
                return uri + ": name the loopback interface as 127.0.0.1 or [::1], not localhost (RFC 8252 §8.3)";
            }
            return nativeApp && isLoopback(parsed) ? null : uri + ": http is only for a native app's loopback redirect";
        }
        if (nativeApp && scheme.contains(".")) {
            return null;
        }
        return uri + ": the scheme must be https (or, for a native app, loopback http or a reverse-DNS scheme)";
    }

    private static boolean isLoopback(URI uri) {
        return uri.getHost() != null && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }
}
