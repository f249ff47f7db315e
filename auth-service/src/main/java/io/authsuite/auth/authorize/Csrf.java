package io.authsuite.auth.authorize;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * CSRF defence of the forms: a random token in a SameSite=Strict cookie that the form must echo (double
 * submit), and, when the browser sends one, an Origin that is this server's own.
 */
@ApplicationScoped
public class Csrf {

    private final OpaqueTokens tokens;
    private final String origin;

    public Csrf(OpaqueTokens tokens, AuthConfig config) {
        this.tokens = tokens;
        URI issuer = URI.create(config.issuer());
        this.origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
    }

    public String next() {
        return tokens.next();
    }

    /**
     * The CSRF token of the admin console's forms: bound to the login session (synchronizer token), so that every
     * page of every tab carries the same one and no cookie churns. It is derived from the session id, which only the
     * browser holds (an httpOnly cookie), and reveals nothing of it.
     */
    public static String forSession(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("authsuite-console-csrf:" + sessionId).getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A console form's token against its session, and the Origin as for {@link #valid}. */
    public boolean validForSession(String sessionId, String form, String originHeader) {
        return sessionId != null && valid(forSession(sessionId), form, originHeader);
    }

    public boolean valid(String cookie, String form, String originHeader) {
        // RFC 6749 §10.12: the authorization server MUST protect its forms against CSRF, so that no site can obtain an
        // authorization without the person knowing. An opaque origin ("null": sandboxed frames, data: URLs, cross-origin redirects) is not ours.
        if (originHeader != null && !originHeader.equals(origin)) {
            return false;
        }
        if (cookie == null || form == null || cookie.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), form.getBytes(StandardCharsets.UTF_8));
    }
}
