package io.authsuite.resourceserver.security;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers access tokens whose signature and claims were verified ({@link VerifiedTokenCache}): a client sends the
 * same token with every request for up to 15 minutes (orders-service its service token with every reservation), and
 * verifying it again each time was a sixth of inventory-service's CPU under the order load.
 *
 * <p>Only what SmallRye JWT accepted is remembered. Everything decided per request stays per request:
 * {@link ScopePermissions} still checks {@code typ} and the revocation list (token, subject, key) on every use, so a
 * revoked token or a retired key is refused as before.
 */
@Decorator
@Priority(10)
public abstract class VerifiedTokens implements JWTParser {

    private final JWTParser parser;
    private final VerifiedTokenCache cache;

    @Inject
    VerifiedTokens(@Delegate @Any JWTParser parser, VerifiedTokenCache cache) {
        this.parser = parser;
        this.cache = cache;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = cache.get(token);
        if (known != null) {
            return known;
        }
        JsonWebToken fresh = parser.parse(token);
        cache.remember(token, fresh);
        return fresh;
    }
}
