package io.authsuite.auth.registration;

import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.clients.ClientManagement;
import io.authsuite.auth.clients.ClientRegistration;
import io.authsuite.auth.clients.ClientSecrets;
import io.authsuite.auth.clients.RedirectUriRules;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.clients.StoredClient;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.auth.web.BearerTokens;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), for the same registry as the admin
 * API. Registering needs an initial access token; each client then manages its own registration with the
 * registration access token it got, kept here only as a hash.
 *
 * <p>A client that registered itself was vetted by nobody, so it gets less than a configured one: never first-party
 * (people consent), no introspection, no token exchange, no browser-mode cookie, scopes within
 * {@code auth.registration.allowed-scopes}, and redirect URIs that are https (or a native app's loopback or
 * reverse-DNS scheme).
 */
@Path("/oauth2/register")
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationEndpoint {

    static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials",
            "urn:ietf:params:oauth:grant-type:device_code");
    static final Set<String> METHODS = Set.of(RegisteredClient.CLIENT_SECRET_BASIC,
            RegisteredClient.CLIENT_SECRET_POST, RegisteredClient.PRIVATE_KEY_JWT, RegisteredClient.NONE);

    private final ClientManagement clients;
    private final InitialAccessTokens initialAccessTokens;
    private final OpaqueTokens tokens;
    private final AuditLog audit;
    private final AuthConfig config;

    public RegistrationEndpoint(ClientManagement clients, InitialAccessTokens initialAccessTokens, OpaqueTokens tokens,
                                AuthConfig config, AuditLog audit) {
        this.audit = audit;
        this.clients = clients;
        this.initialAccessTokens = initialAccessTokens;
        this.tokens = tokens;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<ClientMetadata> register(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                 ClientMetadata request) {
        requireEnabled();
        String initialAccessToken = bearerToken(authorization);
        // RFC 7591 §3: the server MAY require an initial access token; this one does, checked before the metadata.
        if (!initialAccessTokens.isValid(initialAccessToken)) {
            throw invalidToken("the initial access token is invalid, expired or used up");
        }
        if (request == null) {
            throw ClientManagement.metadata("a JSON body of client metadata is required");
        }
        String id = "dyn-" + tokens.nextId();
        ClientRegistration registration = toRegistration(request);
        // A refused registration costs no use of the initial access token.
        clients.validate(id, registration);
        String registrationToken = tokens.next();
        if (!initialAccessTokens.spend(initialAccessToken)) {
            throw invalidToken("the initial access token is invalid, expired or used up");
        }
        ClientManagement.Result created = clients.create(id, registration, StoredClient.REGISTRATION,
                ClientSecrets.hash(registrationToken));
        audit.success(AuditTypes.ADMIN_CLIENT_CHANGE, null, id, Map.of("action", "register", "by", "registration"));
        return RestResponse.ResponseBuilder.<ClientMetadata>created(URI.create(clientUri(id)))
                .entity(toMetadata(created.client(), created.secret(), registrationToken))
                // RFC 7591 §3.2.1: the answer carries credentials; RFC 6749 §5.1 applies.
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }

    /** RFC 7592 §2.1: the client reads its registration. */
    @GET
    @Path("/{id}")
    public RestResponse<ClientMetadata> read(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                             @PathParam("id") String id) {
        StoredClient client = authorize(authorization, id);
        return noStore(toMetadata(client, null, rotatedRegistrationToken(client)));
    }

    /**
     * RFC 7592 §3: the client information response MUST carry the registration access token. Only its hash is stored,
     * so a new one is issued (§2.1, §2.2 let the server rotate it) and the one just used ends.
     */
    private String rotatedRegistrationToken(StoredClient authorized) {
        String token = tokens.next();
        if (!clients.rotateRegistrationTokenHash(authorized.id(), authorized.registrationTokenHash(),
                ClientSecrets.hash(token))) {
            throw invalidToken("the registration access token is invalid");
        }
        return token;
    }

    /** RFC 7592 §2.2: the client replaces its registration; what it leaves out is dropped or defaulted. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<ClientMetadata> update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                               @PathParam("id") String id, ClientMetadata request) {
        StoredClient current = authorize(authorization, id);
        if (request == null || !id.equals(request.clientId())) {
            // RFC 7592 §2.2: the request MUST include client_id, the same as in the URI.
            throw OAuthError.invalidRequest("client_id must be given and match the registration");
        }
        long now = java.time.Instant.now().getEpochSecond();
        if (request.clientSecret() != null && current.secretsOrEmpty().stream()
                .noneMatch(s -> ClientSecrets.matches(request.clientSecret(), s.hash()) && s.activeAt(now))) {
            // RFC 7592 §2.2: a client_secret in the request MUST match the issued one; a client never picks its own.
            throw ClientManagement.metadata("client_secret does not match the issued secret");
        }
        // The new registration access token is stored with the change, in one write that holds only while the token
        // used is still the client's: a concurrent read or update that rotated it first leaves this one unapplied.
        String registrationToken = tokens.next();
        ClientManagement.Result updated;
        try {
            updated = clients.update(id, toRegistration(request), current.registrationTokenHash(),
                    ClientSecrets.hash(registrationToken)).orElseThrow(
                            () -> invalidToken("the registration access token is invalid"));
        } catch (ClientManagement.RegistrationTokenChanged e) {
            throw invalidToken("the registration access token is invalid");
        }
        audit.success(AuditTypes.ADMIN_CLIENT_CHANGE, null, id, Map.of("action", "update", "by", "registration",
                "fields", String.join(" ", updated.changed())));
        return noStore(toMetadata(updated.client(), updated.secret(), registrationToken));
    }

    /** RFC 7592 §2.3: the client deregisters; its tokens end with it. */
    @DELETE
    @Path("/{id}")
    public RestResponse<Void> delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                     @PathParam("id") String id) {
        authorize(authorization, id);
        clients.delete(id);
        audit.success(AuditTypes.ADMIN_CLIENT_CHANGE, null, id, Map.of("action", "delete", "by", "registration"));
        return RestResponse.noContent();
    }

    /**
     * The client the registration access token stands for. RFC 7592 §2: an invalid token, a client that does not
     * exist and one registered otherwise all look the same: 401 invalid_token. A client an administrator disabled
     * holds a good token that works again once it is enabled: until then it may not read, change or delete the
     * registration under review, and RFC 7592 §2.1-§2.3 answer that 403.
     */
    private StoredClient authorize(String authorization, String id) {
        requireEnabled();
        String token = bearerToken(authorization);
        StoredClient client = clients.find(id).orElse(null);
        String hash = client == null || client.registrationTokenHash() == null ? null : client.registrationTokenHash();
        // Compared even when there is no client, so the time taken does not tell which ids exist.
        boolean matches = ClientSecrets.matches(token, hash);
        if (client == null || hash == null || !matches) {
            throw invalidToken("the registration access token is invalid");
        }
        if (client.disabled()) {
            throw new OAuthError(403, "access_denied", "an administrator disabled this client; its registration "
                    + "cannot be read or changed until it is enabled again", Map.of());
        }
        return client;
    }

    /**
     * What one self-registered client may hold. Every replica keeps every client in memory and reads the set again
     * at each change, so a stranger with an initial access token must not make that costly (RFC 7591 §5, RFC 9700
     * §4.15); the request body limit alone lets one registration weigh a megabyte.
     */
    static final int MAX_NAME = 200;
    static final int MAX_URIS = 10;
    static final int MAX_URI_LENGTH = 2048;
    static final int MAX_LIST = 10;
    static final int MAX_SCOPE = 1024;
    static final int MAX_KEYS = 10;
    static final int MAX_JWKS_CHARS = 16_384;

    private static void bounded(ClientMetadata m) {
        if (m.clientName() != null && m.clientName().length() > MAX_NAME) {
            throw ClientManagement.metadata("client_name is longer than " + MAX_NAME + " characters");
        }
        if (tooMany(m.redirectUris())) {
            throw new OAuthError(400, "invalid_redirect_uri", "at most " + MAX_URIS + " redirect_uris of at most "
                    + MAX_URI_LENGTH + " characters", Map.of());
        }
        if (tooMany(m.postLogoutRedirectUris())) {
            throw ClientManagement.metadata("at most " + MAX_URIS + " post_logout_redirect_uris of at most "
                    + MAX_URI_LENGTH + " characters");
        }
        if (size(m.grantTypes()) > MAX_LIST || size(m.responseTypes()) > MAX_LIST) {
            throw ClientManagement.metadata("at most " + MAX_LIST + " grant_types and response_types");
        }
        if (m.scope() != null && m.scope().length() > MAX_SCOPE) {
            throw ClientManagement.metadata("scope is longer than " + MAX_SCOPE + " characters");
        }
        if (m.jwks() != null && (m.jwks().get("keys") instanceof List<?> keys && keys.size() > MAX_KEYS
                || org.jose4j.json.JsonUtil.toJson(m.jwks()).length() > MAX_JWKS_CHARS)) {
            throw ClientManagement.metadata("jwks holds at most " + MAX_KEYS + " keys in " + MAX_JWKS_CHARS
                    + " characters");
        }
    }

    /** More than {@link #MAX_URIS} URIs, or one longer than {@link #MAX_URI_LENGTH}. */
    private static boolean tooMany(List<String> uris) {
        return size(uris) > MAX_URIS || uris != null && uris.stream()
                .anyMatch(uri -> uri != null && uri.length() > MAX_URI_LENGTH);
    }

    private static int size(List<?> values) {
        return values == null ? 0 : values.size();
    }

    /** The registration the metadata asks for, within what a self-registered client may have. */
    ClientRegistration toRegistration(ClientMetadata m) {
        bounded(m);
        if (m.softwareStatement() != null) {
            throw new OAuthError(400, "unapproved_software_statement", "software statements are not accepted",
                    Map.of());
        }
        // RFC 7591 §2 lets a server refuse jwks_uri; fetching a URI a stranger named would be a request forgery
        // (RFC 9700 §4.15) on this server's network.
        if (m.jwksUri() != null) {
            throw ClientManagement.metadata("jwks_uri is not supported; register the public keys as jwks");
        }
        // RFC 7591 §3.2.2: a JSON null inside a metadata array names nothing: invalid metadata, not a default.
        if (hasNull(m.grantTypes()) || hasNull(m.responseTypes()) || hasNull(m.postLogoutRedirectUris())) {
            throw ClientManagement.metadata("grant_types, response_types and post_logout_redirect_uris hold strings");
        }
        if (hasNull(m.redirectUris())) {
            throw new OAuthError(400, "invalid_redirect_uri", "redirect_uris holds strings", Map.of());
        }
        String method = m.tokenEndpointAuthMethod() == null ? RegisteredClient.CLIENT_SECRET_BASIC
                : m.tokenEndpointAuthMethod();
        if (!METHODS.contains(method)) {
            throw ClientManagement.metadata("token_endpoint_auth_method " + method + " is not supported");
        }
        // RFC 7591 §2: grant_types defaults to authorization_code, response_types to code, and the two must agree;
        // a client without the code grant that names no response type has none.
        List<String> grants = m.grantTypes() == null ? List.of("authorization_code") : m.grantTypes();
        List<String> responseTypes = m.responseTypes() != null ? m.responseTypes()
                : grants.contains("authorization_code") ? List.of("code") : List.of();
        for (String grant : grants) {
            if (!GRANTS.contains(grant)) {
                throw ClientManagement.metadata("grant type " + grant + " cannot be registered here");
            }
        }
        if (!responseTypes.stream().allMatch("code"::equals)) {
            throw ClientManagement.metadata("only the response type code is supported (RFC 9700 section 2.1.2)");
        }
        if (grants.contains("authorization_code") != responseTypes.contains("code")) {
            throw ClientManagement.metadata("grant_types authorization_code and response_types code go together");
        }
        boolean nativeApp = "native".equals(m.applicationType());
        if (m.applicationType() != null && !nativeApp && !"web".equals(m.applicationType())) {
            throw ClientManagement.metadata("application_type must be web or native");
        }
        List<String> redirectUris = m.redirectUris() == null ? List.of() : m.redirectUris();
        if (grants.contains("authorization_code") && redirectUris.isEmpty()) {
            throw new OAuthError(400, "invalid_redirect_uri", "redirect_uris is required for authorization_code",
                    Map.of());
        }
        for (String uri : redirectUris) {
            String problem = RedirectUriRules.selfRegisteredProblem(uri, nativeApp);
            if (problem != null) {
                throw new OAuthError(400, "invalid_redirect_uri", problem, Map.of());
            }
        }
        List<String> postLogoutUris = m.postLogoutRedirectUris() == null ? List.of() : m.postLogoutRedirectUris();
        for (String uri : postLogoutUris) {
            // RP-Initiated Logout 1.0 §3.1 and RFC 9700 §4.11: logout redirects to them unasked, so nobody's
            // self-registered client may make it an open redirector or a script: the redirect_uris rules apply.
            String problem = RedirectUriRules.selfRegisteredProblem(uri, nativeApp);
            if (problem != null) {
                throw ClientManagement.metadata("post_logout_redirect_uris: " + problem);
            }
        }
        // RFC 7591 §2 scope: the server may limit what a self-registered client can hold; it cannot widen it.
        Set<String> allowed = config.registration().allowedScopes();
        Set<String> scopes = m.scope() == null ? allowed : new LinkedHashSet<>(List.of(m.scope().trim().split("\\s+")));
        for (String scope : scopes) {
            if (!allowed.contains(scope)) {
                throw new OAuthError(400, "invalid_client_metadata", "scope " + scope
                        + " cannot be registered here", Map.of());
            }
        }
        // RFC 7591 §2 token_endpoint_auth_method "none": a public client (RFC 6749 §2.1).
        boolean isPublic = method.equals(RegisteredClient.NONE);
        return new ClientRegistration(isPublic ? "public" : "confidential", m.clientName(), List.copyOf(grants),
                new ArrayList<>(scopes), null, null, List.of(method), List.copyOf(redirectUris),
                m.postLogoutRedirectUris(), null, nativeApp ? "native" : "web", false, false, null, m.jwks(), null,
                m.dpopBoundAccessTokens(), m.requirePushedAuthorizationRequests(), m.requireSignedRequestObject());
    }

    private static boolean hasNull(List<String> values) {
        return values != null && values.stream().anyMatch(java.util.Objects::isNull);
    }

    private ClientMetadata toMetadata(StoredClient client, String secret, String registrationToken) {
        ClientRegistration r = client.registration();
        List<String> methods = r.authMethods();
        boolean authorizationCode = r.grantTypesOrEmpty().contains("authorization_code");
        return new ClientMetadata(client.id(), secret, client.createdAt(), secret == null ? null : 0L,
                registrationToken, clientUri(client.id()), r.redirectUris(),
                methods == null || methods.isEmpty() ? null : methods.get(0), r.grantTypes(),
                authorizationCode ? List.of("code") : List.of(), r.name(), String.join(" ", r.scopesOrEmpty()),
                r.jwks(), null, null, r.applicationType(), r.postLogoutRedirectUris(), r.dpopBoundAccessTokens(),
                r.requirePushedAuthorizationRequests(), r.requireSignedRequestObject());
    }

    private String clientUri(String id) {
        return config.issuer() + "/oauth2/register/" + id;
    }

    private void requireEnabled() {
        if (!config.registration().enabled()) {
            throw new OAuthError(404, "not_found", "dynamic client registration is off", Map.of());
        }
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw BearerTokens.failure(401, "Bearer realm=\"auth-service\"", null,
                    "a bearer token is required (RFC 7591 section 3: an initial or registration access token)").exception();
        }
        return authorization.substring(7).trim();
    }

    private static RuntimeException invalidToken(String description) {
        // RFC 6750 §3.1, as RFC 7592 §2 says for a bad registration access token.
        return BearerTokens.failure(401, "Bearer realm=\"auth-service\", error=\"invalid_token\"", "invalid_token",
                description).exception();
    }

    private static RestResponse<ClientMetadata> noStore(ClientMetadata metadata) {
        return RestResponse.ResponseBuilder.ok(metadata).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache").build();
    }
}
