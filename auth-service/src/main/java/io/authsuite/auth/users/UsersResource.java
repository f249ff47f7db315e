package io.authsuite.auth.users;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.token.TokenRevocation;
import io.authsuite.auth.token.OAuthError;
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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin API for users: a bearer token of a person with role {@code admin} and scope {@code users:manage}.
 * Disabling, deleting or resetting the password of a user logs them out everywhere.
 */
@Path("/admin/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");

    /** Body of create and update; on update, absent fields stay as they are. */
    public record UserInput(String username, String password, String email, String name, Set<String> roles,
                            Boolean disabled) {
    }

    private final BearerTokens bearer;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final TokenRevocation revocation;

    public UsersResource(BearerTokens bearer, UserStore users, PasswordHasher hasher, TokenRevocation revocation,
                         AuditLog audit) {
        this.audit = audit;
        this.bearer = bearer;
        this.users = users;
        this.hasher = hasher;
        this.revocation = revocation;
    }

    /** "Log out everywhere" for a user: sessions, refresh families and live access tokens end now. */
    @POST
    @Path("/{subject}/logout-everywhere")
    public Response logoutEverywhere(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                     @PathParam("subject") String subject) {
        String admin = requireAdmin(authorization);
        users.bySubject(subject).orElseThrow(UsersResource::notFound);
        revocation.logoutEverywhere(subject);
        changed(admin, "logout_everywhere", subject);
        return Response.noContent().build();
    }

    @GET
    public List<User> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        requireAdmin(authorization);
        return users.all();
    }

    @GET
    @Path("/{subject}")
    public User get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("subject") String subject) {
        requireAdmin(authorization);
        return users.bySubject(subject).orElseThrow(UsersResource::notFound);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, UserInput input) {
        String admin = requireAdmin(authorization);
        if (input == null || input.username() == null || !USERNAME.matcher(input.username()).matches()) {
            throw OAuthError.invalidRequest("username must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        validatePassword(input.password(), true);
        validate(input);
        try {
            User user = users.create(input.username(), hasher.hash(input.password()), nullToEmpty(input.email()),
                    nullToEmpty(input.name()), input.roles() == null ? Set.of("user") : input.roles());
            if (Boolean.TRUE.equals(input.disabled())) {
                user = users.update(user.subject(), null, null, null, true, null).orElseThrow();
            }
            changed(admin, "create", user.subject());
            return Response.created(URI.create("/admin/users/" + user.subject())).entity(user).build();
        } catch (UserStore.UsernameTakenException e) {
            throw new OAuthError(409, "conflict", "the username is taken", java.util.Map.of());
        }
    }

    @PATCH
    @Path("/{subject}")
    @Consumes(MediaType.APPLICATION_JSON)
    public User update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("subject") String subject,
                       UserInput input) {
        String admin = requireAdmin(authorization);
        if (input == null) {
            throw OAuthError.invalidRequest("a JSON body is required");
        }
        if (input.username() != null) {
            throw OAuthError.invalidRequest("the username cannot be changed");
        }
        validatePassword(input.password(), false);
        validate(input);
        Set<String> rolesBefore = users.bySubject(subject).map(User::roles).orElseThrow(UsersResource::notFound);
        User user = users.update(subject, input.email(), input.name(), input.roles(), input.disabled(),
                input.password() == null ? null : hasher.hash(input.password())).orElseThrow(UsersResource::notFound);
        if (user.disabled() || input.password() != null) {
            // A disabled user, or one whose password was reset, keeps no grant alive.
            revocation.logoutEverywhere(subject);
        } else if (!user.roles().equals(rolesBefore)) {
            // RFC 9068 §2.2.3.1: roles are authorization attributes carried in the token; old ones must not outlive
            // the change in tokens that were issued with them.
            revocation.rolesChanged(subject);
        }
        changed(admin, input.password() != null ? "reset_password" : Boolean.TRUE.equals(input.disabled()) ? "disable"
                : "update", subject);
        return user;
    }

    @DELETE
    @Path("/{subject}")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("subject") String subject) {
        String admin = requireAdmin(authorization);
        if (!users.delete(subject)) {
            throw notFound();
        }
        revocation.logoutEverywhere(subject);
        changed(admin, "delete", subject);
        return Response.noContent().build();
    }

    /** The admin's subject. */
    private String requireAdmin(String authorization) {
        return BearerTokens.subject(bearer.requireAdmin(authorization));
    }

    private void changed(String admin, String action, String user) {
        audit.success(AuditTypes.ADMIN_USER_CHANGE, admin, null, java.util.Map.of("action", action, "user", user));
    }

    private static void validate(UserInput input) {
        if (input.email() != null && !EMAIL.matcher(input.email()).matches()) {
            throw OAuthError.invalidRequest("email is not an email address");
        }
        if (input.name() != null && input.name().length() > 200) {
            throw OAuthError.invalidRequest("name is too long");
        }
        if (input.roles() != null && (input.roles().stream().anyMatch(java.util.Objects::isNull)
                || !User.ROLES.containsAll(input.roles()))) {
            throw OAuthError.invalidRequest("roles must be among " + User.ROLES);
        }
    }

    private static void validatePassword(String password, boolean required) {
        if (password == null) {
            if (required) {
                throw OAuthError.invalidRequest("password is required");
            }
            return;
        }
        // NIST SP 800-63B §5.1.1.2: at least 8 characters; long passphrases allowed.
        if (password.length() < 8 || password.length() > 1024) {
            throw OAuthError.invalidRequest("password must be 8 to 1024 characters");
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static OAuthError notFound() {
        return new OAuthError(404, "not_found", "no such user", java.util.Map.of());
    }
}
