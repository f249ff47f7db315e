package io.authsuite.auth.token;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.clients.ClientAuthenticator;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.web.Addresses;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.store.RevocationStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Token revocation (RFC 7009). A refresh token revokes its whole family (with the access tokens issued in it); an
 * access token is denied by {@code jti} until it expires. Unknown, expired or already revoked tokens answer 200,
 * as §2.2 says; a client may revoke only tokens issued to it.
 */
@Path("/oauth2/revoke")
public class RevocationEndpoint {

    private final ClientAuthenticator authenticator;
    private final RefreshTokenStore refreshTokens;
    private final RevocationStore revocations;
    private final AuditLog audit;
    private final AccessTokenVerifier verifier;

    public RevocationEndpoint(ClientAuthenticator authenticator, RefreshTokenStore refreshTokens,
                              RevocationStore revocations, AccessTokenVerifier verifier, AuditLog audit) {
        this.audit = audit;
        this.authenticator = authenticator;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.verifier = verifier;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response revoke(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body, @Context HttpServerRequest http) {
        FormParameters form = FormParameters.parse(contentType, body);
        RegisteredClient client = authenticator.authenticate(authorization, form, Addresses.source(http));
        String token = form.require("token");
        String hint = form.get("token_type_hint").orElse("");
        // RFC 7009 §2.1: the hint only speeds up the lookup; an unknown hint is ignored.
        if (hint.equals("access_token")) {
            if (!revokeAccessToken(token, client)) {
                revokeRefreshToken(token, client);
            }
        } else if (!revokeRefreshToken(token, client)) {
            revokeAccessToken(token, client);
        }
        return Response.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private boolean revokeRefreshToken(String token, RegisteredClient client) {
        if (!RefreshTokenStore.looksValid(token)) {
            return false;
        }
        Optional<String> owner = refreshTokens.clientOf(token);
        if (owner.isEmpty()) {
            return false;
        }
        requireOwner(owner.get(), client, "refresh_token");
        refreshTokens.familyOf(token).ifPresent(family -> {
            // Read before the revocation, which may leave an expired family gone: the event names its person.
            String subject = refreshTokens.subjectOfFamily(family).orElse(null);
            refreshTokens.revokeFamily(family);
            audit.success(AuditTypes.REVOCATION, subject, client.id(),
                    Map.of("token_type", "refresh_token", "family", family));
        });
        return true;
    }

    private boolean revokeAccessToken(String token, RegisteredClient client) {
        Optional<JwtClaims> claims = verifier.verify(token);
        if (claims.isEmpty()) {
            return false;
        }
        try {
            requireOwner(claims.get().getClaimValueAsString("client_id"), client, "access_token");
            revocations.denyToken(claims.get().getJwtId(), claims.get().getExpirationTime().getValue());
            audit.success(AuditTypes.REVOCATION, claims.get().getSubject(), client.id(),
                    Map.of("token_type", "access_token", "jti", claims.get().getJwtId()));
            return true;
        } catch (MalformedClaimException e) {
            return false;
        }
    }

    private void requireOwner(String owner, RegisteredClient client, String tokenType) {
        if (!client.id().equals(owner)) {
            // A client holding another's token is worth a look: audited, without the token or its owner's identity.
            audit.failure(AuditTypes.REVOCATION, null, client.id(), "the token was issued to another client",
                    Map.of("token_type", tokenType));
            // RFC 7009 §2.1: the server checks the token was issued to the requesting client, else refuses.
            throw OAuthError.unauthorizedClient("the token was not issued to this client");
        }
    }
}
