package io.authsuite.auth.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** The console's pages: server-rendered (Qute, HTML-escaped), no script, never cached. */
@ApplicationScoped
public class ConsolePages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** What the pages say after an action that redirected back to them (post/redirect/get): a fixed text per code. */
    static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("user-created", "User created."),
            Map.entry("user-disabled", "User disabled and logged out everywhere."),
            Map.entry("user-enabled", "User enabled."),
            Map.entry("password-reset", "Password reset; the user was logged out everywhere."),
            Map.entry("logged-out", "The user was logged out everywhere."),
            Map.entry("session-revoked", "Session revoked: its refresh tokens and access tokens no longer work."),
            Map.entry("client-created", "Client created."),
            Map.entry("client-disabled", "Client disabled: its tokens no longer work."),
            Map.entry("client-enabled", "Client enabled."),
            Map.entry("key-rotated", "Signing key rotated."),
            Map.entry("key-retired", "Signing key retired."));

    @TemplateData
    public record UserRow(String subject, String username, String name, String email, String roles, boolean disabled,
                          String created) {
    }

    @TemplateData
    public record SessionRow(String id, String client, String scope, String started, long rotations, boolean dpop) {
    }

    @TemplateData
    public record ClientRow(String id, String type, String grants, String scopes, String redirects, boolean disabled,
                            String source, int secrets, String requires) {
    }

    @TemplateData
    public record KeyRow(String kid, String state, String created, String activated, String retireAfter) {
    }

    @TemplateData
    public record EventRow(String time, String type, String outcome, String subject, String client, String address,
                           String reason, String details) {
    }

    @Location("console/users.html")
    Template users;

    @Location("console/user.html")
    Template user;

    @Location("console/clients.html")
    Template clients;

    @Location("console/secret.html")
    Template secret;

    @Location("console/keys.html")
    Template keys;

    @Location("console/events.html")
    Template events;

    @Location("console/forbidden.html")
    Template forbidden;

    static String time(long epochSeconds) {
        return epochSeconds <= 0 ? "" : TIME.format(Instant.ofEpochSecond(epochSeconds));
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    TemplateInstance users(ConsoleAccess.Admin admin, List<UserRow> rows, String query) {
        return page(users, admin, "users").data("rows", rows).data("query", query == null ? "" : query);
    }

    TemplateInstance user(ConsoleAccess.Admin admin, UserRow row, List<SessionRow> sessions) {
        return page(user, admin, "users").data("user", row).data("sessions", sessions);
    }

    TemplateInstance clients(ConsoleAccess.Admin admin, List<ClientRow> rows) {
        return page(clients, admin, "clients").data("rows", rows);
    }

    /** The page that shows a client secret, the only time it is shown. */
    TemplateInstance secret(ConsoleAccess.Admin admin, String clientId, String value, String what) {
        return page(secret, admin, "clients").data("clientId", clientId).data("secret", value).data("what", what);
    }

    TemplateInstance keys(ConsoleAccess.Admin admin, List<KeyRow> rows, boolean managed) {
        return page(keys, admin, "keys").data("rows", rows).data("managed", managed);
    }

    /** @param older the address of the next page of older events, or null at the end */
    TemplateInstance events(ConsoleAccess.Admin admin, List<EventRow> rows, Map<String, String> filter, String older,
                            List<String> types) {
        return page(events, admin, "events").data("rows", rows).data("filter", filter).data("next", older)
                .data("types", types);
    }

    private static TemplateInstance page(Template template, ConsoleAccess.Admin admin, String section) {
        return template.data("admin", admin.username()).data("csrf", admin.csrf()).data("section", section)
                .data("notice", null).data("problem", null);
    }

    Response forbidden(String message) {
        return html(403, forbidden.data("message", message));
    }

    /** Post/redirect/get: back to {@code path}, whose page says the notice of {@code done}. */
    static Response redirect(String path, String done) {
        return Response.seeOther(java.net.URI.create(path + (path.contains("?") ? "&" : "?") + "done=" + done)).build();
    }

    static String urlEncoded(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render())
                .header("Cache-Control", "no-store").build();
    }

    /** A page with the notice of {@code code} (unknown codes say nothing) or a problem to show. */
    static Response html(int status, TemplateInstance page, String noticeCode, String problem) {
        return html(status, page.data("notice", noticeCode == null ? null : NOTICES.get(noticeCode))
                .data("problem", problem));
    }
}
