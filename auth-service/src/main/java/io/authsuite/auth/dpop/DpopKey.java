package io.authsuite.auth.dpop;

import java.util.Map;

/**
 * The DPoP key a token request proved possession of (RFC 9449 §5), by its RFC 7638 thumbprint, or {@link #NONE}: what
 * a grant binds its access token (and a public client's refresh tokens) to.
 */
public record DpopKey(String jkt) {

    public static final DpopKey NONE = new DpopKey(null);

    public boolean bound() {
        return jkt != null;
    }

    /** The claims that bind an access token to this key: {@code cnf.jkt} (RFC 9449 §6.1), or none. */
    public Map<String, Object> confirmation() {
        return bound() ? Map.of("cnf", Map.of("jkt", jkt)) : Map.of();
    }

    /** RFC 9449 §5.1: a bound access token is of {@code token_type} DPoP, not Bearer. */
    public String tokenType() {
        return bound() ? "DPoP" : "Bearer";
    }
}
