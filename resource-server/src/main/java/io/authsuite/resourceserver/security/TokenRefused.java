package io.authsuite.resourceserver.security;

import io.quarkus.security.AuthenticationFailedException;

/**
 * A token this service verified, then found unusable while serving the request: auth-service refused to exchange it
 * (it expired within this service's clock skew, or was revoked before the revocation reached this service). The cause
 * of the {@link AuthenticationFailedException} {@link #exception} makes, which {@link BearerChallenges} answers as it
 * answers a token refused at the door: 401 {@code invalid_token}, with {@code TOKEN_EXPIRED} when it expired, so the
 * client refreshes rather than retrying the same token.
 */
public final class TokenRefused extends RuntimeException {

    private final boolean expired;

    private TokenRefused(String message, boolean expired) {
        super(message, null, false, false);
        this.expired = expired;
    }

    public static AuthenticationFailedException exception(String message, boolean expired) {
        return new AuthenticationFailedException(message, new TokenRefused(message, expired));
    }

    public boolean expired() {
        return expired;
    }
}
