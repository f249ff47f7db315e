package io.authsuite.auth.audit;

import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.web.BearerTokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The audit trail for people with role {@code admin} and scope {@code audit:read}: newest first, filtered by type,
 * subject, client and time range ({@code from}, {@code to}: ISO-8601 instants), a page at a time ({@code limit}, at
 * most 200; {@code before}: the {@code next} cursor of the previous page).
 */
@Path("/admin/events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final String SCOPE = "audit:read";

    private final BearerTokens bearer;
    private final AuditLog audit;

    public AuditResource(BearerTokens bearer, AuditLog audit) {
        this.bearer = bearer;
        this.audit = audit;
    }

    @GET
    public AuditLog.Page events(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @QueryParam("type") String type, @QueryParam("subject") String subject,
                                @QueryParam("client") String client, @QueryParam("from") String from,
                                @QueryParam("to") String to, @QueryParam("before") String before,
                                @QueryParam("limit") String limit, @Context UriInfo uri) {
        bearer.requireAdmin(authorization, SCOPE);
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.size() > 1) {
                // One value per filter: a second one would be ignored without a word.
                throw OAuthError.invalidRequest("parameter '" + name.substring(0, Math.min(40, name.length()))
                        + "' is repeated");
            }
        });
        if (type != null && !AuditTypes.ALL.contains(type)) {
            throw OAuthError.invalidRequest("unknown event type " + type.substring(0, Math.min(40, type.length())));
        }
        if (before != null && !AuditLog.isCursor(before)) {
            throw OAuthError.invalidRequest("before must be the next cursor of a previous page");
        }
        int size;
        try {
            // Read here rather than by Quarkus REST, which answers a query parameter that is not a number with 404.
            size = limit == null ? 50 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            size = 0;
        }
        if (size < 1 || size > 200) {
            throw OAuthError.invalidRequest("limit must be 1 to 200");
        }
        return audit.page(before, size, new AuditLog.Filter(type, subject, client, millis(from, "from"),
                millis(to, "to")));
    }

    private static Long millis(String instant, String name) {
        if (instant == null) {
            return null;
        }
        long millis;
        try {
            millis = Instant.parse(instant).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw OAuthError.invalidRequest(name + " must be an ISO-8601 instant, like 2026-12-01T10:00:00Z");
        }
        if (!AuditLog.isStreamTime(millis)) {
            throw OAuthError.invalidRequest(name + " must not be before 1970-01-01T00:00:00Z");
        }
        return millis;
    }
}
