package io.authsuite.auth.users;

import io.authsuite.auth.token.TokenRevocation;
import io.authsuite.auth.web.BearerTokens;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** What a signed-in person may do to their own account with their access token. */
@Path("/account")
public class AccountResource {

    private final BearerTokens bearer;
    private final TokenRevocation revocation;

    public AccountResource(BearerTokens bearer, TokenRevocation revocation) {
        this.bearer = bearer;
        this.revocation = revocation;
    }

    /** Ends every session, refresh family and live access token of the caller, this one included. */
    @POST
    @Path("/logout-everywhere")
    public Response logoutEverywhere(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String subject = BearerTokens.subject(bearer.require(authorization, "openid"));
        revocation.logoutEverywhere(subject);
        return Response.noContent().build();
    }
}
