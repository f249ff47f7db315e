package io.authsuite.resourceserver.security;

import io.quarkus.security.ForbiddenException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Tells service tokens from tokens of people. A client-credentials token acts for the client itself, so its
 * subject is the client id (RFC 9068 §2.2); a person's token has the person's subject id.
 */
public final class ServiceCallers {

    private ServiceCallers() {
    }

    public static boolean isService(JsonWebToken token) {
        String id = clientId(token);
        return id != null && id.equals(token.getSubject());
    }

    private static String clientId(JsonWebToken token) {
        return ScopePermissions.stringClaim(token, "client_id");
    }

    /**
     * The service acting for a person with this token: its {@code act.sub} when that is also the token's
     * {@code client_id} (a token from token exchange, RFC 8693 §4.1, requested by that service); else empty.
     */
    public static java.util.Optional<String> actingService(JsonWebToken token) {
        Object act = token.getClaim("act");
        if (!(act instanceof jakarta.json.JsonObject actor)
                || !(actor.get("sub") instanceof jakarta.json.JsonString actorSub)) {
            return java.util.Optional.empty();
        }
        String id = clientId(token);
        return actorSub.getString().equals(id) ? java.util.Optional.of(id) : java.util.Optional.empty();
    }

    /** Refuses (403) a token that is neither a service's own nor a service's acting for a person. */
    public static void requireServiceOrActing(JsonWebToken token) {
        // RFC 9068 §2.2: a client-credentials token's sub is the client; RFC 8693 §4.1: act names the acting service.
        if (!isService(token) && actingService(token).isEmpty()) {
            throw new ForbiddenException("only service clients, for themselves or for a person, may call this endpoint");
        }
    }

    /** Refuses (403) a token that does not act for a service. */
    public static void requireService(JsonWebToken token) {
        // RFC 9068 §2.2: only a client-credentials token has the client itself as its sub.
        if (!isService(token)) {
            throw new ForbiddenException("only service clients may call this endpoint");
        }
    }
}
