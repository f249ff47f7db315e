package io.authsuite.auth.console;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.users.User;
import io.authsuite.auth.users.UserInput;
import io.authsuite.auth.users.UserManagement;
import io.authsuite.auth.web.BrowserPages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console's users: list and search, create, disable and enable, reset a password, log out everywhere, and each
 * person's sessions (live refresh-token families) with revoke. The changes go through {@link UserManagement}, as the
 * JSON API's do, so they are validated, audited and revoke alike.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class ConsoleUsersResource implements BrowserPages {

    private final ConsoleAccess access;
    private final ConsolePages pages;
    private final UserManagement users;
    private final RefreshTokenStore refreshTokens;
    private final AuditLog audit;

    public ConsoleUsersResource(ConsoleAccess access, ConsolePages pages, UserManagement users,
                                RefreshTokenStore refreshTokens, AuditLog audit) {
        this.access = access;
        this.pages = pages;
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
    }

    /** The console's home: the users. */
    @GET
    @Path("/")
    public Response home(@QueryParam("q") String query, @QueryParam("done") String done, @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.page(headers, "/admin/");
        return list(admin, query, 200, done, null);
    }

    private Response list(ConsoleAccess.Admin admin, String query, int status, String done, String problem) {
        String q = query == null ? null : query.substring(0, Math.min(query.length(), 100));
        List<ConsolePages.UserRow> rows = users.search(q).stream()
                .sorted(java.util.Comparator.comparing(User::username)).map(ConsoleUsersResource::row).toList();
        return ConsolePages.html(status, pages.users(admin, rows, q), done, problem);
    }

    @GET
    @Path("/console/users/{subject}")
    public Response user(@PathParam("subject") String subject, @QueryParam("done") String done,
                         @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.page(headers, "/admin/console/users/" + ConsolePages.urlEncoded(subject));
        return detail(admin, subject, 200, done, null);
    }

    private Response detail(ConsoleAccess.Admin admin, String subject, int status, String done, String problem) {
        User user;
        try {
            user = users.get(subject);
        } catch (OAuthError e) {
            return ConsolePages.html(404, pages.users(admin, List.of(), null), null, "No such user.");
        }
        List<ConsolePages.SessionRow> sessions = refreshTokens.activeFamilies(user.subject()).stream()
                .map(f -> new ConsolePages.SessionRow(f.id(), f.clientId(), f.scope(), ConsolePages.time(f.created()),
                        f.rotations(), f.dpopBound()))
                .toList();
        return ConsolePages.html(status, pages.user(admin, row(user), sessions), done, problem);
    }

    @POST
    @Path("/console/users")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("username") String username, @FormParam("password") String password,
                           @FormParam("email") String email, @FormParam("name") String name,
                           @FormParam("role") String role, @FormParam("csrf") String csrf,
                           @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
        Set<String> roles = new TreeSet<>(List.of("user"));
        if ("admin".equals(role)) {
            roles.add("admin");
        }
        try {
            User user = users.create(admin.subject(), new UserInput(blankToNull(username), password,
                    blankToNull(email), blankToNull(name), roles, null));
            return ConsolePages.redirect("/admin/console/users/" + ConsolePages.urlEncoded(user.subject()), "user-created");
        } catch (OAuthError e) {
            return list(admin, null, e.status(), null, e.getMessage());
        }
    }

    @POST
    @Path("/console/users/{subject}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable(@PathParam("subject") String subject, @FormParam("csrf") String csrf,
                            @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        return update(access.action(headers, csrf, origin), subject,
                new UserInput(null, null, null, null, null, true), "user-disabled");
    }

    @POST
    @Path("/console/users/{subject}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(@PathParam("subject") String subject, @FormParam("csrf") String csrf,
                           @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        return update(access.action(headers, csrf, origin), subject,
                new UserInput(null, null, null, null, null, false), "user-enabled");
    }

    @POST
    @Path("/console/users/{subject}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetPassword(@PathParam("subject") String subject, @FormParam("password") String password,
                                  @FormParam("csrf") String csrf, @HeaderParam("Origin") String origin,
                                  @Context HttpHeaders headers) {
        if (password == null || password.isEmpty()) {
            ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
            return detail(admin, subject, 400, null, "Enter the new password.");
        }
        return update(access.action(headers, csrf, origin), subject,
                new UserInput(null, password, null, null, null, null), "password-reset");
    }

    private Response update(ConsoleAccess.Admin admin, String subject, UserInput input, String done) {
        try {
            users.update(admin.subject(), subject, input);
            return ConsolePages.redirect("/admin/console/users/" + ConsolePages.urlEncoded(subject), done);
        } catch (OAuthError e) {
            return detail(admin, subject, e.status(), null, e.getMessage());
        }
    }

    @POST
    @Path("/console/users/{subject}/logout-everywhere")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logoutEverywhere(@PathParam("subject") String subject, @FormParam("csrf") String csrf,
                                     @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
        try {
            users.logoutEverywhere(admin.subject(), subject);
            return ConsolePages.redirect("/admin/console/users/" + ConsolePages.urlEncoded(subject), "logged-out");
        } catch (OAuthError e) {
            return detail(admin, subject, e.status(), null, e.getMessage());
        }
    }

    @POST
    @Path("/console/users/{subject}/sessions/{family}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeSession(@PathParam("subject") String subject, @PathParam("family") String family,
                                  @FormParam("csrf") String csrf, @HeaderParam("Origin") String origin,
                                  @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
        if (!refreshTokens.revokeFamilyOf(subject, family)) {
            return detail(admin, subject, 404, null, "That session has already ended.");
        }
        audit.success(AuditTypes.REVOCATION, admin.subject(), null,
                Map.of("action", "revoke_session", "user", subject, "family", family, "by", "admin"));
        return ConsolePages.redirect("/admin/console/users/" + ConsolePages.urlEncoded(subject), "session-revoked");
    }

    static ConsolePages.UserRow row(User user) {
        return new ConsolePages.UserRow(user.subject(), user.username(), user.name(), user.email(),
                String.join(", ", new TreeSet<>(user.roles())), user.disabled(), ConsolePages.time(user.createdAt()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
