package io.authsuite.auth.keys;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.web.BearerTokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The admin API of the signing keys: list (no key material), rotate now, retire a key. A person with role
 * {@code admin} and scope {@code keys:manage}, a scope of its own: retiring a key revokes every token it signed, which
 * is not something a token meant for managing users should be able to do.
 */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

    private final SigningKeys keys;
    private final AuditLog audit;
    private final BearerTokens bearer;

    static final String SCOPE = "keys:manage";

    public KeysResource(SigningKeys keys, BearerTokens bearer, AuditLog audit) {
        this.audit = audit;
        this.keys = keys;
        this.bearer = bearer;
    }

    @GET
    public List<Map<String, Object>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        bearer.requireAdmin(authorization, SCOPE);
        requireManaged();
        return keys.describe();
    }

    @POST
    @Path("/rotate")
    public Map<String, Object> rotate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String admin = BearerTokens.subject(bearer.requireAdminRecentlySignedIn(authorization, SCOPE));
        requireManaged();
        long wait = keys.secondsUntilNextMaySign();
        if (wait > 0) {
            // OIDC Core §10.1.1: verifiers learn a new kid from the JWKS, which they cache; a compromised key
            // is retired instead.
            throw new OAuthError(409, "conflict", "the next key was published too recently for every verifier to "
                    + "hold it: rotate in " + wait + " s, or retire the active key if it is compromised",
                    Map.of(HttpHeaders.RETRY_AFTER, Long.toString(wait)));
        }
        if (!keys.rotate(true)) {
            // Another replica changed the key set at the same moment (its scheduled rotation, or another admin):
            // nothing was rotated here, and saying so beats a 200 that names the key that was already active.
            throw new OAuthError(409, "conflict", "the key set changed meanwhile; look at it and rotate again if still "
                    + "needed", Map.of());
        }
        audit.success(AuditTypes.KEY_ROTATED, admin, null, Map.of("kid", keys.active().kid(), "by", "admin"));
        return Map.of("active", keys.active().kid());
    }

    @POST
    @Path("/{kid}/retire")
    public Response retire(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("kid") String kid) {
        String admin = BearerTokens.subject(bearer.requireAdminRecentlySignedIn(authorization, SCOPE));
        requireManaged();
        boolean retired;
        try {
            retired = keys.retire(kid);
        } catch (SigningKeys.KeySetChanged e) {
            throw new OAuthError(409, "conflict", "the key set changed meanwhile; look at it and retire again",
                    Map.of());
        }
        if (!retired) {
            throw new OAuthError(404, "not_found", "no such key", Map.of());
        }
        audit.success(AuditTypes.KEY_RETIRED, admin, null, Map.of("kid", kid));
        return Response.noContent().build();
    }

    private void requireManaged() {
        if (!keys.isManaged()) {
            throw new OAuthError(409, "not_managed", "keys come from files or are generated: rotate them by "
                    + "replacing the key files (see the README)", Map.of());
        }
    }
}
