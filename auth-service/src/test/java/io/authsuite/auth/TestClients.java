package io.authsuite.auth;

import io.authsuite.auth.clients.ClientSecrets;
import io.authsuite.auth.users.PasswordHasher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Registers the clients the tests use, each with a secret generated for this test run (no secret lives in the
 * repository). Tests read the secrets through {@link #secret(String)}.
 */
public class TestClients implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE = "test-service";
    public static final String POST_ONLY = "test-post-only";
    public static final String CODE_ONLY = "test-code-only";
    public static final String PUBLIC = "test-public";
    /** A public native app (RFC 8252) with a loopback redirect URI. */
    public static final String NATIVE = "test-native";
    /** A first-party single-page app: public, code + refresh. */
    /** A configured client the admin API deletes in a test, to be seeded again. */
    public static final String RESEEDED = "test-reseeded";
    public static final String SPA = "test-spa";
    /** A third-party web app: confidential, asks for consent. */
    public static final String THIRD = "test-third";
    /** A third-party client a test disables and enables again: THIRD is shared by many classes. */
    public static final String THIRD_RESET = "test-third-reset";
    /** A device without a browser (RFC 8628). */
    public static final String DEVICE = "test-device";
    /** A resource server that may introspect tokens for the orders-service audience. */
    public static final String RESOURCE_SERVER = "test-rs";
    /** An introspecting client limited to obtaining tokens for inventory-service, which it is not. */
    public static final String RESTRICTED_RESOURCE_SERVER = "test-rs2";
    /**
     * A service that acts for people (RFC 8693): named like the orders-service audience, so that a person's token
     * for orders-service is a token sent to it; may obtain inventory:reserve for a person whose token holds orders:write.
     */
    public static final String EXCHANGER = "orders-service";
    /** A service that may exchange only for scopes the person's token holds itself (no subject scopes). */
    public static final String PLAIN_EXCHANGER = "test-exchanger";
    /**
     * A service standing for orders-service that may exchange a person's token for one token good at both
     * inventory-service and orders-service (RFC 8693 §2.1, several audiences), with scopes the person's token holds.
     */
    public static final String MULTI_EXCHANGER = "test-multi-exchanger";
    /**
     * A service standing for orders-service whose exchange policy still names inventory-service although its
     * {@code audiences} were narrowed to orders-service (a containment step that left the policy behind).
     */
    public static final String FENCED_EXCHANGER = "test-fenced-exchanger";
    /** A service that may hold orders:read but may obtain tokens only for inventory-service ({@code audiences}). */
    public static final String FENCED_SERVICE = "test-fenced-service";
    /** A browser client that may hold orders:read but may obtain tokens only for inventory-service. */
    public static final String FENCED_WEB = "test-fenced-web";
    /** A client that authenticates with private_key_jwt; its key pair is {@code TestKeys.shared("private-key-jwt-client")}. */
    public static final String KEY_CLIENT = "key-client";
    /** A client registered with dpop-bound-access-tokens (RFC 9449 §5.2): every token request needs a proof. */
    public static final String DPOP_BOUND = "test-dpop-bound";
    public static final String SPA_REDIRECT = "http://127.0.0.1:9999/callback";
    public static final String THIRD_REDIRECT = "https://third.example/cb";

    /** Seeded users: name -> password (generated per run). */
    public static final String USER = "tuser";
    public static final String ADMIN = "tadmin";

    private static final Map<String, String> SECRETS = new HashMap<>();
    private static final Map<String, String> PASSWORDS = new HashMap<>();

    @Override
    public synchronized Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        confidential(config, SERVICE, "client_credentials", "orders:read,orders:write,inventory:read");
        config.put("auth.clients." + SERVICE + ".default-scopes", "orders:read");
        confidential(config, POST_ONLY, "client_credentials", "inventory:read");
        config.put("auth.clients." + POST_ONLY + ".auth-methods", "client_secret_post");
        confidential(config, CODE_ONLY, "authorization_code", "orders:read");
        config.put("auth.clients." + PUBLIC + ".type", "public");
        config.put("auth.clients." + PUBLIC + ".grant-types", "authorization_code");
        config.put("auth.clients." + PUBLIC + ".scopes", "orders:read");
        config.put("auth.clients." + PUBLIC + ".redirect-uris", SPA_REDIRECT);
        config.put("auth.clients." + NATIVE + ".type", "public");
        config.put("auth.clients." + NATIVE + ".application-type", "native");
        config.put("auth.clients." + NATIVE + ".grant-types", "authorization_code,refresh_token");
        config.put("auth.clients." + NATIVE + ".scopes", "openid,orders:read");
        config.put("auth.clients." + NATIVE + ".redirect-uris", "http://127.0.0.1/native");
        // First-party, so that a sign-in returns its code without a consent page: a code client without refresh tokens.
        config.put("auth.clients." + PUBLIC + ".first-party", "true");

        firstPartyBrowser(config, RESEEDED, "openid,orders:read");
        config.put("auth.clients." + SPA + ".type", "public");
        config.put("auth.clients." + SPA + ".grant-types", "authorization_code,refresh_token");
        config.put("auth.clients." + SPA + ".scopes",
                "openid,profile,email,orders:read,orders:write,inventory:read,users:manage,clients:manage,keys:manage,audit:read");
        config.put("auth.clients." + SPA + ".default-scopes", "openid,orders:read");
        config.put("auth.clients." + SPA + ".redirect-uris", SPA_REDIRECT);
        config.put("auth.clients." + SPA + ".post-logout-redirect-uris", "http://127.0.0.1:9999/bye");
        config.put("auth.clients." + SPA + ".allowed-origins", "http://127.0.0.1:9999");
        config.put("auth.clients." + SPA + ".first-party", "true");

        confidential(config, THIRD, "authorization_code,refresh_token", "openid,email,orders:read");
        config.put("auth.clients." + THIRD + ".redirect-uris", THIRD_REDIRECT);
        confidential(config, THIRD_RESET, "authorization_code,refresh_token", "openid,email,orders:read");
        config.put("auth.clients." + THIRD_RESET + ".redirect-uris", THIRD_REDIRECT);

        confidential(config, RESOURCE_SERVER, "client_credentials", "orders:read");
        config.put("auth.clients." + RESOURCE_SERVER + ".introspection", "true");

        String exchange = "urn:ietf:params:oauth:grant-type:token-exchange";
        confidential(config, EXCHANGER, "client_credentials," + exchange, "inventory:reserve,inventory:read");
        config.put("auth.clients." + EXCHANGER + ".exchange.inventory-service.scopes", "inventory:reserve,inventory:read");
        config.put("auth.clients." + EXCHANGER + ".exchange.inventory-service.subject-scopes", "orders:write");
        confidential(config, PLAIN_EXCHANGER, exchange, "inventory:read");
        config.put("auth.clients." + PLAIN_EXCHANGER + ".exchange.inventory-service.scopes", "inventory:read");
        confidential(config, MULTI_EXCHANGER, exchange, "inventory:read,orders:read");
        confidential(config, FENCED_EXCHANGER, exchange, "inventory:read");
        config.put("auth.clients." + FENCED_EXCHANGER + ".exchange.inventory-service.scopes", "inventory:read");
        config.put("auth.clients." + FENCED_EXCHANGER + ".audiences", "orders-service");
        // These stand for orders-service, as its own client does: tokens sent to it are theirs to inspect.
        config.put("auth.resources.orders-service.clients", String.join(",", RESOURCE_SERVER, PLAIN_EXCHANGER,
                MULTI_EXCHANGER, FENCED_EXCHANGER));
        // Limited to obtaining tokens for inventory-service, which it is not: it must not introspect their tokens.
        confidential(config, RESTRICTED_RESOURCE_SERVER, "client_credentials", "inventory:read");
        config.put("auth.clients." + RESTRICTED_RESOURCE_SERVER + ".introspection", "true");
        config.put("auth.clients." + RESTRICTED_RESOURCE_SERVER + ".audiences", "inventory-service");
        confidential(config, FENCED_SERVICE, "client_credentials", "inventory:read,orders:read");
        config.put("auth.clients." + FENCED_SERVICE + ".audiences", "inventory-service");
        firstPartyBrowser(config, FENCED_WEB, "openid,orders:read,inventory:read");
        config.put("auth.clients." + FENCED_WEB + ".audiences", "inventory-service");
        config.put("auth.clients." + MULTI_EXCHANGER + ".exchange.inventory-service.scopes", "inventory:read");
        config.put("auth.clients." + MULTI_EXCHANGER + ".exchange.orders-service.scopes", "orders:read");

        // private_key_jwt (RFC 7523 §2.2): registered with its public key alone (PrivateKeyJwtTest).
        config.put("auth.clients." + KEY_CLIENT + ".grant-types", "client_credentials");
        config.put("auth.clients." + KEY_CLIENT + ".scopes", "orders:read");
        config.put("auth.clients." + KEY_CLIENT + ".auth-methods", "private_key_jwt");
        config.put("auth.clients." + KEY_CLIENT + ".jwks",
                new org.jose4j.jwk.JsonWebKeySet(TestKeys.shared("private-key-jwt-client", "k1")).toJson());

        confidential(config, DPOP_BOUND, "client_credentials", "orders:read");
        config.put("auth.clients." + DPOP_BOUND + ".dpop-bound-access-tokens", "true");

        config.put("auth.clients." + DEVICE + ".type", "public");
        config.put("auth.clients." + DEVICE + ".grant-types", "urn:ietf:params:oauth:grant-type:device_code,refresh_token");
        config.put("auth.clients." + DEVICE + ".scopes", "openid,orders:read");

        // Dynamic registration (RFC 7591): a long-lived initial access token from configuration, as a hash.
        config.put("auth.registration.initial-access-token-hashes", ClientSecrets.hash(initialAccessToken()));
        config.put("auth.registration.allowed-scopes", "openid,profile,email,orders:read");

        PasswordHasher hasher = new PasswordHasher(1, java.time.Duration.ZERO);
        seedUser(config, hasher, USER, "user");
        seedUser(config, hasher, ADMIN, "admin,user");
        java.util.List<String> secrets = new java.util.ArrayList<>(SECRETS.values());
        secrets.addAll(PASSWORDS.values());
        LeakWatch.install(secrets);
        return config;
    }

    /** A public code client redirecting to {@link #SPA_REDIRECT}, first-party so a sign-in needs no consent page. */
    private static void firstPartyBrowser(Map<String, String> config, String id, String scopes) {
        config.put("auth.clients." + id + ".type", "public");
        config.put("auth.clients." + id + ".grant-types", "authorization_code,refresh_token");
        config.put("auth.clients." + id + ".scopes", scopes);
        config.put("auth.clients." + id + ".redirect-uris", SPA_REDIRECT);
        config.put("auth.clients." + id + ".first-party", "true");
    }

    private static void confidential(Map<String, String> config, String id, String grants, String scopes) {
        String secret = SECRETS.computeIfAbsent(id, k -> randomSecret());
        config.put("auth.clients." + id + ".secret-hash", ClientSecrets.hash(secret));
        config.put("auth.clients." + id + ".grant-types", grants);
        config.put("auth.clients." + id + ".scopes", scopes);
    }

    private static void seedUser(Map<String, String> config, PasswordHasher hasher, String name, String roles) {
        String password = PASSWORDS.computeIfAbsent(name, k -> randomSecret());
        config.put("auth.seed-users." + name + ".password-hash", hasher.hash(password));
        config.put("auth.seed-users." + name + ".email", name + "@example.test");
        config.put("auth.seed-users." + name + ".name", "Test " + name);
        config.put("auth.seed-users." + name + ".roles", roles);
    }

    public static synchronized String password(String username) {
        return PASSWORDS.get(username);
    }

    /** The configured initial access token for dynamic registration (generated per run). */
    public static synchronized String initialAccessToken() {
        return SECRETS.computeIfAbsent("initial-access-token", k -> randomSecret());
    }

    public static synchronized String secret(String clientId) {
        return SECRETS.get(clientId);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        // '+' and '/' in the secret also exercise the form-encoding of Basic credentials (RFC 6749 §2.3.1).
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void stop() {
    }
}
