package io.authsuite.auth.authorize;

import java.net.URI;
import java.net.URISyntaxException;
import io.authsuite.auth.clients.RegisteredClient;

/**
 * Redirect URI matching: exact string comparison (RFC 9700 §4.1.3), except that for loopback redirect URIs of
 * public native apps the port may differ (RFC 8252 §7.3). A web client on a loopback address (a developer's SPA)
 * gets no such relaxation: any local process could otherwise listen on another port and receive its codes.
 */
final class RedirectUris {

    private RedirectUris() {
    }

    static boolean matches(RegisteredClient client, String requested) {
        if (requested == null || requested.length() > 2000) {
            return false;
        }
        boolean portMayDiffer = client.isPublic() && client.nativeApp();
        for (String candidate : client.redirectUris()) {
            if (candidate.equals(requested) || portMayDiffer && loopbackMatch(candidate, requested)) {
                return true;
            }
        }
        return false;
    }

    private static boolean loopbackMatch(String registered, String requested) {
        try {
            URI r = new URI(registered);
            URI q = new URI(requested);
            return "http".equals(r.getScheme()) && "http".equals(q.getScheme())
                    && isLoopbackLiteral(r.getHost()) && r.getHost().equals(q.getHost())
                    && eq(r.getRawPath(), q.getRawPath()) && eq(r.getRawQuery(), q.getRawQuery())
                    && q.getRawFragment() == null && q.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** RFC 8252 §8.3: loopback IP literals, not "localhost". */
    private static boolean isLoopbackLiteral(String host) {
        return "127.0.0.1".equals(host) || "[::1]".equals(host);
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
