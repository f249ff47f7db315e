package io.authsuite.auth.users;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.token.TokenRevocation;
import io.authsuite.auth.web.BearerTokens;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jose4j.jwt.JwtClaims;

/** What a signed-in person may do to their own account with their access token. */
@Path("/account")
public class AccountResource {

    private final BearerTokens bearer;
    private final TokenRevocation revocation;
    private final ClientRegistry clients;

    public AccountResource(BearerTokens bearer, TokenRevocation revocation, ClientRegistry clients) {
        this.bearer = bearer;
        this.revocation = revocation;
        this.clients = clients;
    }

    /**
     * Ends every session, refresh family and live access token of the caller, this one included: at every client. Only
     * through a first-party application: every OpenID Connect token carries {@code openid}, and a third-party app the
     * person allowed to read their profile must not be able to sign them out of everything else.
     */
    @POST
    @Path("/logout-everywhere")
    public Response logoutEverywhere(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        JwtClaims claims = bearer.require(authorization, "openid");
        Object clientId = claims.getClaimValue("client_id");
        boolean firstParty = clientId instanceof String id && clients.find(id).map(RegisteredClient::firstParty)
                .orElse(false);
        if (!firstParty) {
            // RFC 6749 §3.3: the grant, not the bare token, decides what it may do; RFC 6750 §3.1 insufficient_scope.
            throw BearerTokens.refusal(authorization, 403, "insufficient_scope",
                    "only a first-party application may sign the person out everywhere", "").exception();
        }
        revocation.logoutEverywhere(BearerTokens.subject(claims));
        return Response.noContent().build();
    }
}
