package io.authsuite.auth.web;

import io.authsuite.auth.users.User;
import io.authsuite.auth.users.UserStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;

/** The UserInfo endpoint (OIDC Core §5.3): claims about the signed-in person, as far as the scopes allow. */
@Path("/oauth2/userinfo")
@Produces(MediaType.APPLICATION_JSON)
public class UserInfoResource {

    private final BearerTokens bearer;
    private final UserStore users;

    public UserInfoResource(BearerTokens bearer, UserStore users) {
        this.bearer = bearer;
        this.users = users;
    }

    @GET
    public Map<String, Object> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return userInfo(authorization);
    }

    @POST
    public Map<String, Object> post(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return userInfo(authorization);
    }

    private Map<String, Object> userInfo(String authorization) {
        // OIDC Core §5.3.1: the access token must have been granted the openid scope.
        JwtClaims claims = bearer.require(authorization, "openid");
        User user = users.bySubject(BearerTokens.subject(claims)).filter(u -> !u.disabled()).orElseThrow(() ->
                BearerTokens.refusal(authorization, 401, "invalid_token", "the user of this token is no longer active",
                        "").exception());
        Set<String> scopes = BearerTokens.scopes(claims);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sub", user.subject());
        // OIDC Core §5.3.2: a claim without a value is left out, never sent as an empty string.
        if (scopes.contains("profile")) {
            if (user.name() != null && !user.name().isBlank()) {
                info.put("name", user.name());
            }
            info.put("preferred_username", user.username());
        }
        if (scopes.contains("email") && user.email() != null && !user.email().isBlank()) {
            info.put("email", user.email());
        }
        return info;
    }
}
