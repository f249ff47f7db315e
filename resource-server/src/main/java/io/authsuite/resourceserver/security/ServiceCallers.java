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
        Object clientId = token.getClaim("client_id");
        String id = clientId instanceof jakarta.json.JsonString js ? js.getString()
                : clientId == null ? null : clientId.toString();
        return id != null && id.equals(token.getSubject());
    }

    /** Refuses (403) a token that does not act for a service. */
    public static void requireService(JsonWebToken token) {
        if (!isService(token)) {
            throw new ForbiddenException("only service clients may call this endpoint");
        }
    }
}
