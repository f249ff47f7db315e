package io.authsuite.auth.console;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.clients.ClientManagement;
import io.authsuite.auth.clients.ClientRegistration;
import io.authsuite.auth.clients.StoredClient;
import io.authsuite.auth.token.OAuthError;
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
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The console's clients: list, create, rotate a secret (shown once), disable and enable. The changes go through
 * {@link ClientManagement}, as the JSON API's do: a client created here is live on every replica within a second.
 */
@Path("/admin/console/clients")
@Produces(MediaType.TEXT_HTML)
public class ConsoleClientsResource implements BrowserPages {

    /** The grants a client can be created with here; the JSON API takes any registration. */
    static final List<String> GRANTS = List.of("client_credentials", "authorization_code", "refresh_token",
            "urn:ietf:params:oauth:grant-type:device_code");

    private final ConsoleAccess access;
    private final ConsolePages pages;
    private final ClientManagement clients;
    private final AuditLog audit;

    public ConsoleClientsResource(ConsoleAccess access, ConsolePages pages, ClientManagement clients, AuditLog audit) {
        this.access = access;
        this.pages = pages;
        this.clients = clients;
        this.audit = audit;
    }

    @GET
    public Response list(@QueryParam("done") String done, @Context HttpHeaders headers) {
        return list(access.page(headers, "/admin/console/clients"), 200, done, null);
    }

    private Response list(ConsoleAccess.Admin admin, int status, String done, String problem) {
        List<ConsolePages.ClientRow> rows = clients.all().stream()
                .sorted(java.util.Comparator.comparing(StoredClient::id)).map(ConsoleClientsResource::row).toList();
        return ConsolePages.html(status, pages.clients(admin, rows), done, problem);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("client_id") String clientId, @FormParam("client_type") String type,
                           @FormParam("grant_type") List<String> grants, @FormParam("scopes") String scopes,
                           @FormParam("redirect_uris") String redirectUris,
                           @FormParam("dpop_bound_access_tokens") String dpopBound,
                           @FormParam("require_pushed_authorization_requests") String pushedOnly,
                           @FormParam("csrf") String csrf, @HeaderParam("Origin") String origin,
                           @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
        if (clientId == null || clientId.isBlank()) {
            return list(admin, 400, null, "Enter a client id.");
        }
        if (grants == null || grants.isEmpty() || !GRANTS.containsAll(grants)) {
            return list(admin, 400, null, "Choose at least one grant type.");
        }
        String clientType = "public".equals(type) ? "public" : "confidential";
        ClientRegistration registration = new ClientRegistration(clientType, null, List.copyOf(grants),
                words(scopes), null, null, null, lines(redirectUris), null, null, null, null, null, null, null, null,
                checked(dpopBound), checked(pushedOnly), null);
        try {
            ClientManagement.Result created = clients.create(clientId.strip(), registration, StoredClient.ADMIN, null);
            changed(admin, "create", created.client().id());
            if (created.secret() == null) {
                return ConsolePages.redirect("/admin/console/clients", "client-created");
            }
            return ConsolePages.html(201, pages.secret(admin, created.client().id(), created.secret(),
                    "Client created."));
        } catch (OAuthError e) {
            return list(admin, e.status(), null, e.getMessage());
        }
    }

    @POST
    @Path("/{id}/secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotateSecret(@PathParam("id") String id, @FormParam("csrf") String csrf,
                                 @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.action(headers, csrf, origin);
        try {
            // The previous secret keeps working for a day, as through the JSON API, so the client can be redeployed.
            return clients.rotateSecret(id, Duration.ofDays(1)).map(rotated -> {
                changed(admin, "rotate_secret", id);
                return ConsolePages.html(200, pages.secret(admin, id, rotated.secret(),
                        "New secret. The previous one keeps working for a day."));
            }).orElseGet(() -> list(admin, 404, null, "No such client."));
        } catch (OAuthError e) {
            return list(admin, e.status(), null, e.getMessage());
        }
    }

    @POST
    @Path("/{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable(@PathParam("id") String id, @FormParam("csrf") String csrf,
                            @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        return setDisabled(access.action(headers, csrf, origin), id, true);
    }

    @POST
    @Path("/{id}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(@PathParam("id") String id, @FormParam("csrf") String csrf,
                           @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        return setDisabled(access.action(headers, csrf, origin), id, false);
    }

    private Response setDisabled(ConsoleAccess.Admin admin, String id, boolean disabled) {
        if (clients.setDisabled(id, disabled).isEmpty()) {
            return list(admin, 404, null, "No such client.");
        }
        changed(admin, disabled ? "disable" : "enable", id);
        return ConsolePages.redirect("/admin/console/clients", disabled ? "client-disabled" : "client-enabled");
    }

    private void changed(ConsoleAccess.Admin admin, String action, String client) {
        audit.success(AuditTypes.ADMIN_CLIENT_CHANGE, admin.subject(), client, Map.of("action", action, "via", "console"));
    }

    static ConsolePages.ClientRow row(StoredClient client) {
        ClientRegistration r = client.registration();
        return new ConsolePages.ClientRow(client.id(), r.typeOrDefault(), String.join(" ", r.grantTypesOrEmpty()),
                String.join(" ", r.scopesOrEmpty()),
                r.redirectUris() == null ? "" : String.join(" ", r.redirectUris()), client.disabled(), client.source(),
                client.secretsOrEmpty().size(), requires(r));
    }

    /** What the client's requests must carry beyond its credentials, in the list's words. */
    private static String requires(ClientRegistration r) {
        List<String> requires = new java.util.ArrayList<>(3);
        if (Boolean.TRUE.equals(r.dpopBoundAccessTokens())) {
            requires.add("DPoP");
        }
        if (Boolean.TRUE.equals(r.requirePushedAuthorizationRequests())) {
            requires.add("PAR");
        }
        if (Boolean.TRUE.equals(r.requireSignedRequestObject())) {
            requires.add("signed requests");
        }
        return requires.isEmpty() ? "" : String.join(", ", requires);
    }

    /** A checkbox: its value when ticked, nothing otherwise (left to the server's default). */
    private static Boolean checked(String box) {
        return "true".equals(box) ? Boolean.TRUE : null;
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? null : Arrays.stream(text.strip().split("\\s+")).toList();
    }

    private static List<String> lines(String text) {
        return text == null || text.isBlank() ? null
                : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
