package io.authsuite.auth.users;

import io.authsuite.auth.web.BearerTokens;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * The admin API for users: a bearer token of a person with role {@code admin} and scope {@code users:manage}.
 * Disabling, deleting or resetting the password of a user logs them out everywhere ({@link UserManagement}).
 */
@Path("/admin/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    private final BearerTokens bearer;
    private final UserManagement management;

    public UsersResource(BearerTokens bearer, UserManagement management) {
        this.bearer = bearer;
        this.management = management;
    }

    /** "Log out everywhere" for a user: sessions, refresh families and live access tokens end now. */
    @POST
    @Path("/{subject}/logout-everywhere")
    public Response logoutEverywhere(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                     @PathParam("subject") String subject) {
        management.logoutEverywhere(requireRecentAdmin(authorization), subject);
        return Response.noContent().build();
    }

    @GET
    public List<User> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        requireAdmin(authorization);
        return management.all();
    }

    @GET
    @Path("/{subject}")
    public User get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("subject") String subject) {
        requireAdmin(authorization);
        return management.get(subject);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, UserInput input) {
        User user = management.create(requireRecentAdmin(authorization), input);
        return Response.created(URI.create("/admin/users/" + user.subject())).entity(user).build();
    }

    @PATCH
    @Path("/{subject}")
    @Consumes(MediaType.APPLICATION_JSON)
    public User update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("subject") String subject,
                       UserInput input) {
        return management.update(requireRecentAdmin(authorization), subject, input);
    }

    @DELETE
    @Path("/{subject}")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("subject") String subject) {
        management.delete(requireRecentAdmin(authorization), subject);
        return Response.noContent().build();
    }

    /** The admin's subject. */
    private String requireAdmin(String authorization) {
        return BearerTokens.subject(bearer.requireAdmin(authorization));
    }

    /** The admin's subject, for a change that hands over or takes away access: a recent sign-in (RFC 9470). */
    private String requireRecentAdmin(String authorization) {
        return BearerTokens.subject(bearer.requireAdminRecentlySignedIn(authorization, BearerTokens.USERS_MANAGE));
    }
}
