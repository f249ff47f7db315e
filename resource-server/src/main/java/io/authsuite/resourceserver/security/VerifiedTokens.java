package io.authsuite.resourceserver.security;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers access tokens whose signature and claims were verified, by their exact text, until they expire: a
 * client sends the same token with every request for up to 15 minutes (orders-service its service token with every
 * reservation), and verifying it again each time was a sixth of inventory-service's CPU under the order load.
 *
 * <p>Only what SmallRye JWT accepted is remembered, and only while {@code exp} lies ahead (stricter than the
 * verifier's clock skew). Everything decided per request stays per request: {@link ScopePermissions} still checks
 * {@code typ} and the revocation list (token, subject, key) on every use, so a revoked token or a retired key is
 * refused as before. The cache holds at most {@code authsuite.jwt.verified-tokens} entries (0: off) and starts over
 * when full.
 */
@Decorator
@Priority(10)
public abstract class VerifiedTokens implements JWTParser {

    private final JWTParser parser;
    private final int capacity;
    private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    @Inject
    VerifiedTokens(@Delegate @Any JWTParser parser,
                   @ConfigProperty(name = "authsuite.jwt.verified-tokens", defaultValue = "4096") int capacity) {
        this.parser = parser;
        this.capacity = capacity;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (capacity <= 0) {
            return parser.parse(token);
        }
        JsonWebToken known = verified.get(token);
        long now = System.currentTimeMillis() / 1000;
        if (known != null) {
            if (known.getExpirationTime() > now) {
                return known;
            }
            verified.remove(token);
        }
        JsonWebToken fresh = parser.parse(token);
        if (fresh.getExpirationTime() > now) {
            if (verified.size() >= capacity) {
                verified.clear();
            }
            verified.put(token, fresh);
        }
        return fresh;
    }
}
