package io.authsuite.auth.console;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.keys.SigningKeys;
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

/**
 * The console's signing keys: the active, next and previous keys with rotate now and retire. Keys from files (or
 * generated in dev) are shown read-only: they change by replacing the files.
 */
@Path("/admin/console/keys")
@Produces(MediaType.TEXT_HTML)
public class ConsoleKeysResource implements BrowserPages {

    private final ConsoleAccess access;
    private final ConsolePages pages;
    private final SigningKeys keys;
    private final AuditLog audit;

    public ConsoleKeysResource(ConsoleAccess access, ConsolePages pages, SigningKeys keys, AuditLog audit) {
        this.access = access;
        this.pages = pages;
        this.keys = keys;
        this.audit = audit;
    }

    @GET
    public Response list(@QueryParam("done") String done, @Context HttpHeaders headers) {
        return list(access.page(headers, "/admin/console/keys"), 200, done, null);
    }

    private Response list(ConsoleAccess.Admin admin, int status, String done, String problem) {
        List<ConsolePages.KeyRow> rows;
        if (keys.isManaged()) {
            rows = keys.describe().stream().map(ConsoleKeysResource::row).toList();
        } else {
            String active = keys.active().kid();
            rows = keys.published().stream().map(k -> new ConsolePages.KeyRow(k.kid(),
                    k.kid().equals(active) ? "active" : "published", "", "", "")).toList();
        }
        return ConsolePages.html(status, pages.keys(admin, rows, keys.isManaged()), done, problem);
    }

    @POST
    @Path("/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotate(@FormParam("csrf") String csrf, @HeaderParam("Origin") String origin,
                           @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
        if (!keys.isManaged()) {
            return list(admin, 409, null, "These keys come from files: rotate them by replacing the files.");
        }
        long wait = keys.secondsUntilNextMaySign();
        if (wait > 0) {
            // OIDC Core §10.1.1: verifiers learn a new kid from the JWKS, which they cache; a compromised key
            // is retired instead.
            return list(admin, 409, null, "The next key was published too recently for every service to hold it: "
                    + "rotate in " + wait + " s, or retire the active key if it is compromised.");
        }
        if (!keys.rotate(true)) {
            return list(admin, 409, null,
                    "The key set changed meanwhile: look at it and rotate again if still needed.");
        }
        audit.success(AuditTypes.KEY_ROTATED, admin.subject(), null,
                Map.of("kid", keys.active().kid(), "by", "admin", "via", "console"));
        return ConsolePages.redirect("/admin/console/keys", "key-rotated");
    }

    @POST
    @Path("/{kid}/retire")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retire(@PathParam("kid") String kid, @FormParam("csrf") String csrf,
                           @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
        if (!keys.isManaged()) {
            return list(admin, 409, null, "These keys come from files: retire one by removing its file.");
        }
        boolean retired;
        try {
            retired = keys.retire(kid);
        } catch (SigningKeys.KeySetChanged e) {
            return list(admin, 409, null, "The key set changed meanwhile: look at it and retire again.");
        }
        if (!retired) {
            return list(admin, 404, null, "No such key.");
        }
        audit.success(AuditTypes.KEY_RETIRED, admin.subject(), null, Map.of("kid", kid, "via", "console"));
        return ConsolePages.redirect("/admin/console/keys", "key-retired");
    }

    private static ConsolePages.KeyRow row(Map<String, Object> key) {
        return new ConsolePages.KeyRow((String) key.get("kid"), (String) key.get("state"),
                ConsolePages.time(((Number) key.get("created")).longValue()),
                ConsolePages.time(((Number) key.get("activated")).longValue()),
                ConsolePages.time(((Number) key.get("retireAfter")).longValue()));
    }
}
