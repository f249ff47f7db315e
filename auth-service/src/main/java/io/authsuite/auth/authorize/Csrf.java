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

    public boolean valid(String cookie, String form, String originHeader) {
        // An opaque origin ("null": sandboxed frames, data: URLs, cross-origin redirects) is not ours.
        if (originHeader != null && !originHeader.equals(origin)) {
            return false;
        }
        if (cookie == null || form == null || cookie.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), form.getBytes(StandardCharsets.UTF_8));
    }
}
