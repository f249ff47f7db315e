package io.authsuite.resourceserver.security;

import io.authsuite.resourceserver.revocation.DenyList;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.StringPermission;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Permission;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Grants each scope of the bearer token as a permission, so that endpoints declare what they need with
 * {@code @PermissionsAllowed("orders:read")}. Matching is exact: a scope is a permission name plus its action,
 * never a prefix of another.
 */
@ApplicationScoped
public class ScopePermissions implements SecurityIdentityAugmentor {

    private final DenyList denyList;

    /**
     * auth-service's claim on an exchanged token naming the client of the person's token it came from: that client's
     * revocation (a {@code client:} entry on the feed) ends the exchanged token too.
     */
    static final String ORIGIN_CLIENT_ID = "origin_client_id";

    private static final int MAX_ACTORS = 8;

    public ScopePermissions(DenyList denyList) {
        this.denyList = denyList;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Jwts.Header header = Jwts.header(token);
        if (!header.isAccessToken()) {
            // RFC 9068 §4: resource servers MUST verify typ at+jwt, so an id_token naming this service is refused.
            return Uni.createFrom().failure(new AuthenticationFailedException("not an access token (typ)"));
        }
        if (header.kid() == null) {
            // RFC 7515 §4.1.4: auth-service names its key in every token; one without a kid would be checked against
            // no key retirement (the deny list's kid entries), and is no token of ours.
            return Uni.createFrom().failure(new AuthenticationFailedException("the token names no signing key (kid)"));
        }
        if (denyList.isDenied(token.getTokenID(), token.getSubject(), token.getIssuedAtTime(), header.kid(),
                stringClaim(token, "client_id"), chainClients(token))) {
            // RFC 7009 §2: a revoked access token is refused at once, not when it expires.
            return Uni.createFrom().failure(new AuthenticationFailedException("the access token was revoked"));
        }
        Set<String> scopes = Scopes.of(token);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addPermissionChecker(required -> Uni.createFrom().item(grants(scopes, required)))
                .build());
    }

    /**
     * The clients an exchanged token stands on besides its own: the one the person's token was issued to
     * ({@code origin_client_id}) and each service that acted along the way (the nested {@code act.sub}, RFC 8693
     * §4.1). Disabling any of them ends the token, as it ends their own tokens. Empty for any other token.
     */
    static java.util.List<String> chainClients(JsonWebToken token) {
        java.util.List<String> clients = new java.util.ArrayList<>(2);
        String origin = stringClaim(token, ORIGIN_CLIENT_ID);
        if (origin != null) {
            clients.add(origin);
        }
        Object act = token.getClaim("act");
        // Bounded: auth-service nests one level per exchange, and a chain longer than this is no chain of ours.
        for (int depth = 0; depth < MAX_ACTORS && act instanceof jakarta.json.JsonObject actor; depth++) {
            if (actor.get("sub") instanceof jakarta.json.JsonString sub) {
                clients.add(sub.getString());
            }
            act = actor.get("act");
        }
        return clients;
    }

    /** A string claim as SmallRye hands it (a JSON string or a plain one), or null when absent. */
    static String stringClaim(JsonWebToken token, String name) {
        Object claim = token.getClaim(name);
        if (claim == null) {
            return null;
        }
        return claim instanceof jakarta.json.JsonString json ? json.getString() : claim.toString();
    }

    static boolean grants(Set<String> scopes, Permission required) {
        if (!(required instanceof StringPermission sp)) {
            return false;
        }
        String actions = sp.getActions();
        if (actions == null || actions.isEmpty()) {
            return scopes.contains(sp.getName());
        }
        for (String action : actions.split(",")) {
            if (!scopes.contains(sp.getName() + ":" + action.trim())) {
                return false;
            }
        }
        return true;
    }
}
