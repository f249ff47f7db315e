package io.authsuite.auth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.clients.ClientManagement;
import io.authsuite.auth.clients.ClientRegistration;
import io.authsuite.auth.clients.StoredClient;
import io.authsuite.auth.registration.InitialAccessTokens;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.web.BearerTokens;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The admin API for clients: a bearer (or DPoP) token of a person with role {@code admin} and scope
 * {@code clients:manage}. Secrets appear once, in the answer that made them; every replica applies a change within
 * {@code auth.client-registry.refresh-interval}.
 */
@Path("/admin/clients")
@Produces(MediaType.APPLICATION_JSON)
public class ClientsResource {

    static final String SCOPE = "clients:manage";

    /** Body of create: the id and the registration. */
    @RegisterForReflection
    public record NewClient(@JsonProperty("client_id") String clientId,
                            @JsonProperty("registration") ClientRegistration registration) {
    }

    /** Body of a secret rotation: how long the previous secret stays valid, in seconds (a day when absent). */
    @RegisterForReflection
    public record SecretRotation(@JsonProperty("previous_secret_valid_for") Long previousSecretValidFor) {
    }

    /** Body of minting an initial access token for dynamic registration. */
    @RegisterForReflection
    public record InitialAccessTokenRequest(@JsonProperty("expires_in") Long expiresIn,
                                            @JsonProperty("max_uses") Integer maxUses) {
    }

    private final BearerTokens bearer;
    private final ClientManagement clients;
    private final InitialAccessTokens initialAccessTokens;
    private final AuditLog audit;

    public ClientsResource(BearerTokens bearer, ClientManagement clients, InitialAccessTokens initialAccessTokens,
                           AuditLog audit) {
        this.audit = audit;
        this.bearer = bearer;
        this.clients = clients;
        this.initialAccessTokens = initialAccessTokens;
    }

    @GET
    public List<ClientView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        bearer.requireAdmin(authorization, SCOPE);
        return clients.all().stream().map(c -> ClientView.of(c, null)).toList();
    }

    @GET
    @Path("/{id}")
    public ClientView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        bearer.requireAdmin(authorization, SCOPE);
        return clients.find(id).map(c -> ClientView.of(c, null)).orElseThrow(ClientsResource::notFound);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<ClientView> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                           NewClient body) {
        String admin = admin(authorization);
        if (body == null || body.clientId() == null || body.registration() == null) {
            throw ClientManagement.metadata("client_id and registration are required");
        }
        ClientManagement.Result created = clients.create(body.clientId(), body.registration(), StoredClient.ADMIN,
                null);
        changed(admin, "create", created.client().id());
        return RestResponse.ResponseBuilder.<ClientView>created(URI.create("/admin/clients/" + created.client().id()))
                .entity(ClientView.of(created.client(), created.secret()))
                // RFC 6749 §5.1 in spirit: an answer carrying a secret is not cached.
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<ClientView> update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                           @PathParam("id") String id, ClientRegistration registration) {
        String admin = admin(authorization);
        if (registration == null) {
            throw ClientManagement.metadata("a registration is required");
        }
        ClientManagement.Result updated = clients.update(id, registration).orElseThrow(ClientsResource::notFound);
        // What changed, by name: turning on introspection or first_party, or adding an admin scope, is on the record.
        audit.success(AuditTypes.ADMIN_CLIENT_CHANGE, admin, id, Map.of("action", "update",
                "fields", String.join(" ", updated.changed())));
        return noStore(ClientView.of(updated.client(), updated.secret()));
    }

    @POST
    @Path("/{id}/disable")
    public ClientView disable(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @PathParam("id") String id) {
        return setDisabled(admin(authorization), id, true);
    }

    @POST
    @Path("/{id}/enable")
    public ClientView enable(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        return setDisabled(admin(authorization), id, false);
    }

    @DELETE
    @Path("/{id}")
    public RestResponse<Void> delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                     @PathParam("id") String id) {
        String admin = admin(authorization);
        if (!clients.delete(id)) {
            throw notFound();
        }
        changed(admin, "delete", id);
        return RestResponse.noContent();
    }

    @POST
    @Path("/{id}/secret")
    public RestResponse<ClientView> rotateSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                 @PathParam("id") String id, SecretRotation body) {
        String admin = admin(authorization);
        long overlap = body == null || body.previousSecretValidFor() == null ? Duration.ofDays(1).toSeconds()
                : body.previousSecretValidFor();
        ClientManagement.Result rotated = clients.rotateSecret(id, Duration.ofSeconds(overlap))
                .orElseThrow(ClientsResource::notFound);
        changed(admin, "rotate_secret", id);
        return noStore(ClientView.of(rotated.client(), rotated.secret()));
    }

    @DELETE
    @Path("/{id}/previous-secrets")
    public ClientView retirePreviousSecrets(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                            @PathParam("id") String id) {
        String admin = admin(authorization);
        ClientView view = clients.retirePreviousSecrets(id).map(c -> ClientView.of(c, null))
                .orElseThrow(ClientsResource::notFound);
        changed(admin, "retire_previous_secrets", id);
        return view;
    }

    /** Mints an initial access token for dynamic client registration (RFC 7591 §3), shown once. */
    @POST
    @Path("/initial-access-tokens")
    public RestResponse<InitialAccessTokens.Minted> mintInitialAccessToken(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InitialAccessTokenRequest body) {
        String admin = admin(authorization);
        long expiresIn = body == null || body.expiresIn() == null ? Duration.ofDays(1).toSeconds() : body.expiresIn();
        int maxUses = body == null || body.maxUses() == null ? 1 : body.maxUses();
        if (expiresIn < 1 || expiresIn > Duration.ofDays(30).toSeconds() || maxUses < 1 || maxUses > 1000) {
            throw OAuthError.invalidRequest("expires_in must be 1 s to 30 days, max_uses 1 to 1000");
        }
        InitialAccessTokens.Minted minted = initialAccessTokens.mint(Duration.ofSeconds(expiresIn), maxUses);
        audit.success(AuditTypes.ADMIN_CLIENT_CHANGE, admin, null, Map.of("action", "mint_initial_access_token",
                "max_uses", Integer.toString(maxUses)));
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, minted)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private ClientView setDisabled(String admin, String id, boolean disabled) {
        ClientView view = clients.setDisabled(id, disabled).map(c -> ClientView.of(c, null))
                .orElseThrow(ClientsResource::notFound);
        changed(admin, disabled ? "disable" : "enable", id);
        return view;
    }

    /** The admin's subject, for a change: a recent sign-in as well (RFC 9470, auth.admin.step-up-max-age). */
    private String admin(String authorization) {
        return BearerTokens.subject(bearer.requireAdminRecentlySignedIn(authorization, SCOPE));
    }

    private void changed(String admin, String action, String client) {
        audit.success(AuditTypes.ADMIN_CLIENT_CHANGE, admin, client, Map.of("action", action));
    }

    private static RestResponse<ClientView> noStore(ClientView view) {
        return RestResponse.ResponseBuilder.ok(view).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static OAuthError notFound() {
        return new OAuthError(404, "not_found", "no such client", Map.of());
    }
}
