package io.authsuite.auth.clients;

import io.authsuite.auth.clients.RegisteredClient.ClientType;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.redis.BackgroundThreads;
import io.authsuite.redis.RedisFailures;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The clients this server knows, as every replica sees them: the registrations in Redis ({@link ClientStore}), seeded
 * from configuration and changed at run time by the admin API or dynamic registration, held in memory so that the
 * token path never waits for them. A replica reads the store's change counter every
 * {@code auth.client-registry.refresh-interval} (250 ms: one GET) and reloads when it moved; a change made here applies
 * here at once.
 *
 * <p>Configured clients are checked at start: a registration that could not work (a confidential client without a
 * secret hash, a refused grant type, an unknown scope) stops the server. A configured client is written to Redis when
 * it is not there, and again when its configuration changed, unless the admin API changed it since; then the run-time
 * registration stays, and a warning says so. Without Redis at start, the configured clients serve until it is back.
 */
@Startup
@ApplicationScoped
public class ClientRegistry {

    private static final Logger LOG = Logger.getLogger(ClientRegistry.class);

    /** RFC 8693 §2.1. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    /** Grant types a client may be registered for. */
    public static final Set<String> KNOWN_GRANTS = Set.of("client_credentials", "authorization_code", "refresh_token",
            "urn:ietf:params:oauth:grant-type:device_code", TOKEN_EXCHANGE);

    private final ClientStore store;
    private final ResourceRegistry resources;
    private final Vertx vertx;
    private final Map<String, StoredClient> seeds = new LinkedHashMap<>();
    private volatile Map<String, RegisteredClient> clients;
    private volatile long seenChanges = -1;
    private final Clock clock = Clock.systemUTC();
    private final Duration refreshInterval;
    private volatile boolean running;
    private Thread follower;

    public ClientRegistry(AuthConfig config, ResourceRegistry resources, ClientStore store, Vertx vertx) {
        this.store = store;
        this.vertx = vertx;
        this.resources = resources;
        this.refreshInterval = config.clientRegistry().refreshInterval();
        Map<String, RegisteredClient> configured = new HashMap<>();
        long now = clock.instant().getEpochSecond();
        config.clients().forEach((id, c) -> {
            StoredClient seed = seed(id, c, now);
            configured.put(id, toClient(seed, resources));
            seeds.put(id, seed);
            for (String uri : c.redirectUris().orElse(List.of())) {
                String problem = RedirectUriRules.administeredProblem(uri);
                if (problem != null) {
                    // RFC 9700 §2.6 forbids it; a warning rather than a failed start, so an upgrade never stops a fleet.
                    LOG.warnf("Client %s: %s. Codes sent there cross the network in clear text (RFC 9700 §2.6)",
                            id, problem);
                }
            }
        });
        this.clients = Map.copyOf(configured);
        try {
            // One read of the store serves both the seeding and the first load, unless the seeding wrote to it.
            long changes = store.changeCount();
            Map<String, StoredClient> stored = store.all();
            if (seedStore(stored)) {
                refresh();
            } else {
                install(stored, changes);
            }
        } catch (RuntimeException e) {
            if (!RedisFailures.isUnavailable(e)) {
                throw e;
            }
            LOG.warnf("clients: Redis unavailable at start (%s); serving the configured clients until it is back",
                    RedisFailures.describe(e));
        }
    }

    public Optional<RegisteredClient> find(String clientId) {
        return Optional.ofNullable(clientId).map(clients::get);
    }

    /** The enabled clients. */
    public Map<String, RegisteredClient> all() {
        return clients;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        // A thread of its own rather than the scheduler, whose triggers fire at most once a second.
        follower = BackgroundThreads.start(vertx, "client-registry-follower", () -> {
            while (running) {
                follow();
                try {
                    Thread.sleep(refreshInterval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (follower != null) {
            follower.interrupt();
            try {
                // The interrupt ends a wait for Redis at once; waiting here keeps the follower off a closing client.
                follower.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reloads when another replica (or this one) changed a client since the last look. */
    void follow() {
        try {
            if (seenChanges < 0) {
                // Start-up found no Redis: seed now, so that the configured clients exist for the admin API too.
                seedStore(store.all());
            }
            refresh();
        } catch (RuntimeException e) {
            // A call cut short by stop() is the shutdown, not a failure: no error line (with its alert) per pod stop.
            if (running && !RedisFailures.isUnavailable(e)) {
                LOG.error("clients: reload failed; the previous registrations stay in force", e);
            }
        }
    }

    /** Reloads every client if the store changed since the last load; called after a change made here, too. */
    public synchronized void refresh() {
        long changes = store.changeCount();
        if (changes == seenChanges) {
            return;
        }
        install(store.all(), changes);
    }

    /**
     * Serves {@code all}, read after the store's change count was {@code changes}: a change in between is loaded by the
     * next refresh, which finds the count moved on.
     */
    private synchronized void install(Map<String, StoredClient> all, long changes) {
        Map<String, RegisteredClient> loaded = new HashMap<>();
        all.forEach((id, stored) -> {
            if (stored.disabled()) {
                return;
            }
            try {
                loaded.put(id, toClient(stored, resources));
            } catch (IllegalStateException e) {
                // Written by an older release, or by hand: refused rather than half understood.
                LOG.errorf("client %s: its stored registration is invalid (%s); the client is refused", id,
                        e.getMessage());
            }
        });
        clients = Map.copyOf(loaded);
        seenChanges = changes;
    }

    /**
     * Writes each configured client that is missing from Redis, or whose configuration changed since it was seeded
     * and which nobody changed at run time since.
     *
     * @return whether it wrote (or tried to write) to the store, so that {@code stored} no longer is what it holds
     */
    private boolean seedStore(Map<String, StoredClient> stored) {
        boolean wrote = false;
        for (StoredClient seed : seeds.values()) {
            StoredClient current = stored.get(seed.id());
            if (current == null) {
                // Missing: never seeded, or deleted at run time. Like a client created under a deleted one's id, it
                // inherits none of the tokens issued before (RFC 7592 §2.3: a deleted client's grants end with it).
                store.create(seed.withRevokedBefore(clock.millis()));
                wrote = true;
            } else if (!seed.seedDigest().equals(current.seedDigest())) {
                if (current.changedAtRuntime() || !StoredClient.CONFIG.equals(current.source())) {
                    LOG.warnf("client %s: its configuration changed, but it was changed at run time since it was "
                            + "seeded; the run-time registration stays (delete it to seed it again)", seed.id());
                } else {
                    wrote = true;
                    if (!store.replace(current, new StoredClient(seed.id(), seed.registration(), seed.secrets(),
                            current.disabled(), current.revokedBefore(), StoredClient.CONFIG, seed.seedDigest(), false,
                            null, current.createdAt(), seed.updatedAt(), current.version()))) {
                        LOG.warnf("client %s: changed concurrently while seeding; the next start seeds it again",
                                seed.id());
                    }
                }
            }
        }
        return wrote;
    }

    /** The record a configured client seeds. */
    static StoredClient seed(String id, AuthConfig.Client c, long now) {
        ClientRegistration registration = registrationOf(id, c);
        List<StoredClient.Secret> secrets = c.secretHash().map(h -> List.of(new StoredClient.Secret(h, now, null)))
                .orElse(List.of());
        String digest = ClientSecrets.hash(registration + "|" + c.secretHash().orElse(""));
        return new StoredClient(id, registration, secrets, false, 0, StoredClient.CONFIG, digest, false, null, now,
                now, 0);
    }

    /** A set from configuration in a stable order: the seed's digest, and what the admin API shows, do not wander. */
    private static List<String> sorted(java.util.Collection<String> values) {
        return List.copyOf(new java.util.TreeSet<>(values));
    }

    /** The registration a configured client seeds. */
    static ClientRegistration registrationOf(String id, AuthConfig.Client c) {
        Map<String, ClientRegistration.Exchange> exchange = new java.util.TreeMap<>();
        c.exchange().forEach((audience, e) -> exchange.put(audience, new ClientRegistration.Exchange(
                sorted(e.scopes()), e.subjectScopes().map(ClientRegistry::sorted).orElse(null))));
        Map<String, Object> jwks = c.jwks().map(json -> {
            try {
                return org.jose4j.json.JsonUtil.parseJson(json);
            } catch (org.jose4j.lang.JoseException e) {
                throw new IllegalStateException("auth.clients." + id + ": jwks is not JSON");
            }
        }).orElse(null);
        return new ClientRegistration(c.type(), null, sorted(c.grantTypes()), sorted(c.scopes()),
                c.defaultScopes().map(ClientRegistry::sorted).orElse(null),
                c.audiences().map(ClientRegistry::sorted).orElse(null),
                c.authMethods().map(ClientRegistry::sorted).orElse(null),
                c.redirectUris().map(List::copyOf).orElse(null),
                c.postLogoutRedirectUris().map(List::copyOf).orElse(null),
                c.allowedOrigins().map(ClientRegistry::sorted).orElse(null), c.applicationType(), c.firstParty(),
                c.introspection(), c.tokenRequestsPerMinute().orElse(null), jwks,
                exchange.isEmpty() ? null : exchange, c.dpopBoundAccessTokens(),
                // null, not false: the stored seed of a client without it stays as it was before this setting.
                c.requirePushedAuthorizationRequests() ? Boolean.TRUE : null,
                c.requireSignedRequestObject() ? Boolean.TRUE : null);
    }

    /** Checks a configured client as the server does at start. */
    static RegisteredClient toClient(String id, AuthConfig.Client c, ResourceRegistry resources) {
        return toClient(seed(id, c, 0), resources);
    }

    /**
     * Checks a registration and builds the client the rest of the server sees.
     *
     * @throws InvalidRegistrationException when it could not work
     */
    public static RegisteredClient toClient(StoredClient stored, ResourceRegistry resources) {
        String id = stored.id();
        ClientRegistration c = stored.registration();
        if (c == null) {
            throw invalid(id, "no registration");
        }
        if (id == null || !CLIENT_ID.matcher(id).matches()) {
            throw invalid(id, "client_id must be 1-128 characters of letters, digits and . _ - :");
        }
        // RFC 7591 §3.2.2: a JSON null inside a list (the admin API's body, or a stored record) names nothing;
        // refused as invalid metadata before List.copyOf or equals() meet it.
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("grant-types", c.grantTypes());
        lists.put("scopes", c.scopes());
        lists.put("default-scopes", c.defaultScopes());
        lists.put("audiences", c.audiences());
        lists.put("auth-methods", c.authMethods());
        lists.put("redirect-uris", c.redirectUris());
        lists.put("post-logout-redirect-uris", c.postLogoutRedirectUris());
        lists.put("allowed-origins", c.allowedOrigins());
        c.exchangeOrEmpty().forEach((audience, e) -> {
            if (e == null) {
                throw invalid(id, "exchange." + audience + " holds a null");
            }
            lists.put("exchange." + audience + ".scopes", e.scopes());
            lists.put("exchange." + audience + ".subject-scopes", e.subjectScopes());
        });
        for (Map.Entry<String, List<String>> list : lists.entrySet()) {
            if (list.getValue() != null && list.getValue().stream().anyMatch(java.util.Objects::isNull)) {
                throw invalid(id, list.getKey() + " holds a null");
            }
        }
        ClientType type = switch (c.typeOrDefault().toLowerCase(Locale.ROOT)) {
            case "confidential" -> ClientType.CONFIDENTIAL;
            case "public" -> ClientType.PUBLIC;
            default -> throw invalid(id, "type must be confidential or public");
        };
        List<String> grantTypes = c.grantTypesOrEmpty();
        if (grantTypes.isEmpty()) {
            throw invalid(id, "grant-types is empty");
        }
        for (String grant : grantTypes) {
            if (grant.equals("password") || grant.equals("implicit")) {
                // RFC 9700 §2.4 and §2.1.2: the password and implicit grants MUST NOT be used.
                throw invalid(id, "the " + grant + " grant is refused (RFC 9700)");
            }
            if (!KNOWN_GRANTS.contains(grant)) {
                throw invalid(id, "unknown grant type " + grant);
            }
        }
        if (type == ClientType.PUBLIC && grantTypes.contains("client_credentials")) {
            // RFC 6749 §4.4: the client credentials grant MUST only be used by confidential clients.
            throw invalid(id, "a public client cannot use client_credentials");
        }
        Set<String> methods = c.authMethods() != null ? Set.copyOf(c.authMethods()) : type == ClientType.PUBLIC
                ? Set.of(RegisteredClient.NONE)
                : Set.of(RegisteredClient.CLIENT_SECRET_BASIC, RegisteredClient.CLIENT_SECRET_POST);
        boolean secretMethods = methods.contains(RegisteredClient.CLIENT_SECRET_BASIC)
                || methods.contains(RegisteredClient.CLIENT_SECRET_POST);
        List<StoredClient.Secret> secrets = stored.secretsOrEmpty();
        if (type == ClientType.CONFIDENTIAL && secretMethods) {
            if (secrets.isEmpty()) {
                throw invalid(id, "a confidential client needs secret-hash");
            }
            for (StoredClient.Secret secret : secrets) {
                if (!ClientSecrets.isWellFormed(secret.hash())) {
                    throw invalid(id, "secret-hash must be sha256:<base64url of 32 bytes>");
                }
            }
        } else if (!secrets.isEmpty()) {
            throw invalid(id, type == ClientType.PUBLIC ? "a public client has no secret"
                    : "secret-hash without client_secret_basic or client_secret_post among auth-methods");
        }
        List<PublicJsonWebKey> jwks = c.jwks() == null ? List.of() : publicKeys(id, JsonUtil.toJson(c.jwks()));
        if (methods.contains(RegisteredClient.PRIVATE_KEY_JWT) != !jwks.isEmpty()) {
            throw invalid(id, "private_key_jwt needs jwks (public keys), and jwks needs private_key_jwt");
        }
        if (Boolean.TRUE.equals(c.requireSignedRequestObject()) && jwks.isEmpty()) {
            // RFC 9101 §10.5: request objects are verified with the client's registered keys; without any, none could.
            throw invalid(id, "require_signed_request_object needs jwks (and private_key_jwt)");
        }
        List<String> scopes = c.scopesOrEmpty();
        for (String scope : scopes) {
            if (resources.audienceOf(scope).isEmpty() && !ResourceRegistry.OIDC_SCOPES.contains(scope)
                    && !ResourceRegistry.OWN_SCOPES.contains(scope)) {
                throw invalid(id, "scope " + scope + " belongs to no resource in auth.resources");
            }
        }
        String applicationType = c.applicationType() == null ? "web" : c.applicationType();
        boolean nativeApp = switch (applicationType) {
            case "native" -> true;
            case "web" -> false;
            default -> throw invalid(id, "application-type must be web or native");
        };
        if (nativeApp && type != ClientType.PUBLIC) {
            // RFC 8252 §8.4: a native app cannot keep a secret, so it is registered as a public client.
            throw invalid(id, "a native application is a public client");
        }
        if (c.tokenRequestsPerMinute() != null && c.tokenRequestsPerMinute() < 1) {
            // A budget of none would refuse every token request of the client with 429, for ever.
            throw invalid(id, "token-requests-per-minute must be at least 1");
        }
        List<String> defaults = c.defaultScopes() != null ? c.defaultScopes() : scopes;
        if (!scopes.containsAll(defaults)) {
            throw invalid(id, "default-scopes must be a subset of scopes");
        }
        for (String m : methods) {
            boolean ok = type == ClientType.PUBLIC ? m.equals(RegisteredClient.NONE)
                    : m.equals(RegisteredClient.CLIENT_SECRET_BASIC) || m.equals(RegisteredClient.CLIENT_SECRET_POST)
                    || m.equals(RegisteredClient.PRIVATE_KEY_JWT);
            if (!ok) {
                throw invalid(id, "auth method " + m + " does not fit a " + c.typeOrDefault() + " client");
            }
        }
        List<String> redirectUris = c.redirectUris() == null ? List.of() : List.copyOf(c.redirectUris());
        for (String uri : redirectUris) {
            String problem = RedirectUriRules.shapeProblem(uri);
            if (problem != null) {
                throw invalid(id, "redirect-uris: " + problem);
            }
        }
        return new RegisteredClient(id, type, List.copyOf(secrets), Set.copyOf(grantTypes), Set.copyOf(scopes),
                new LinkedHashSet<>(defaults), Optional.ofNullable(c.audiences()).map(Set::copyOf), methods,
                redirectUris, Boolean.TRUE.equals(c.firstParty()),
                c.postLogoutRedirectUris() == null ? List.of() : List.copyOf(c.postLogoutRedirectUris()),
                c.allowedOrigins() == null ? Set.of() : Set.copyOf(c.allowedOrigins()),
                Boolean.TRUE.equals(c.introspection()), Optional.ofNullable(c.tokenRequestsPerMinute()), nativeApp, jwks,
                exchange(id, type, c, resources), Boolean.TRUE.equals(c.dpopBoundAccessTokens()),
                Boolean.TRUE.equals(c.requirePushedAuthorizationRequests()),
                Boolean.TRUE.equals(c.requireSignedRequestObject()), stored.revokedBefore());
    }

    private static final java.util.regex.Pattern CLIENT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** The token-exchange policy of a client, checked against its grant types, its scopes and the resources. */
    private static Map<String, RegisteredClient.ExchangePolicy> exchange(String id, ClientType type,
                                                                          ClientRegistration c,
                                                                          ResourceRegistry resources) {
        boolean granted = c.grantTypesOrEmpty().contains(TOKEN_EXCHANGE);
        if (granted != !c.exchangeOrEmpty().isEmpty()) {
            throw invalid(id, "the token-exchange grant needs exchange.<audience>.scopes, and exchange needs the grant");
        }
        if (granted && type == ClientType.PUBLIC) {
            // Acting for a person at another service is a confidential client's job: it must prove who acts (RFC
            // 8693 §2.1 leaves client authentication to the server's policy).
            throw invalid(id, "a public client cannot use token exchange");
        }
        Map<String, RegisteredClient.ExchangePolicy> policies = new HashMap<>();
        c.exchangeOrEmpty().forEach((audience, e) -> {
            List<String> exchangeScopes = e.scopes() == null ? List.of() : e.scopes();
            for (String scope : exchangeScopes) {
                if (!resources.audienceOf(scope).map(audience::equals).orElse(false)) {
                    throw invalid(id, "exchange." + audience + ": scope " + scope + " is not one of " + audience);
                }
                if (!c.scopesOrEmpty().contains(scope)) {
                    throw invalid(id, "exchange." + audience + ": scope " + scope + " is not among the client's scopes");
                }
            }
            if (exchangeScopes.isEmpty()) {
                throw invalid(id, "exchange." + audience + ".scopes is empty");
            }
            policies.put(audience, new RegisteredClient.ExchangePolicy(Set.copyOf(exchangeScopes),
                    e.subjectScopes() == null ? Set.of() : Set.copyOf(e.subjectScopes())));
        });
        return Map.copyOf(policies);
    }

    /** The keys of a JWK Set, each a public key of a signing algorithm {@link ClientAssertions} accepts. */
    static List<PublicJsonWebKey> publicKeys(String id, String json) {
        List<JsonWebKey> keys;
        try {
            keys = new JsonWebKeySet(json).getJsonWebKeys();
        } catch (JoseException e) {
            throw invalid(id, "jwks is not a JWK Set: " + e.getMessage());
        } catch (RuntimeException e) {
            // jose4j casts the parsed JSON unchecked ({"keys":"x"}, a number for a key or a member). RFC 7591 §3.2.2:
            // metadata of the wrong shape is invalid_client_metadata, not a server error.
            throw invalid(id, "jwks is not a JWK Set: keys must be an array of JWK objects with string members");
        }
        if (keys.isEmpty()) {
            throw invalid(id, "jwks holds no key");
        }
        List<PublicJsonWebKey> out = new ArrayList<>();
        for (JsonWebKey key : keys) {
            if (!(key instanceof PublicJsonWebKey pub) || !(key instanceof RsaJsonWebKey || key instanceof EllipticCurveJsonWebKey)) {
                throw invalid(id, "jwks may hold RSA and EC keys only");
            }
            if (pub.getPrivateKey() != null) {
                // The server must never hold a client's private key: registering one is a leak to refuse.
                throw invalid(id, "jwks holds a private key; register the public key only");
            }
            out.add(pub);
        }
        return List.copyOf(out);
    }

    private static InvalidRegistrationException invalid(String id, String why) {
        return new InvalidRegistrationException(id, why);
    }

    /** A registration that could not work; {@link #reason()} says why, without the configuration key. */
    public static final class InvalidRegistrationException extends IllegalStateException {
        private final String reason;

        InvalidRegistrationException(String id, String reason) {
            super("auth.clients." + id + ": " + reason);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
