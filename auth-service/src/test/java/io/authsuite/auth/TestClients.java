package io.authsuite.auth;

import io.authsuite.auth.clients.ClientSecrets;
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

    private static final Map<String, String> SECRETS = new HashMap<>();

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
        return config;
    }

    private static void confidential(Map<String, String> config, String id, String grants, String scopes) {
        String secret = SECRETS.computeIfAbsent(id, k -> randomSecret());
        config.put("auth.clients." + id + ".secret-hash", ClientSecrets.hash(secret));
        config.put("auth.clients." + id + ".grant-types", grants);
        config.put("auth.clients." + id + ".scopes", scopes);
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
