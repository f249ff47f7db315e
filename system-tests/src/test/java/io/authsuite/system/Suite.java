package io.authsuite.system;

import io.authsuite.testing.RedisDeployment;
import io.authsuite.testing.RedisServer;
import io.authsuite.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis and the three packaged services as real processes on free loopback ports, wired the way a deployment
 * wires them: auth-service manages its signing keys in Redis under a key-encryption key, the services' client
 * secrets are generated for this run and reach auth-service only as hashes.
 */
final class Suite implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("suite.root", ".."));
    static final Path WORK = Path.of("target", "system-tests");

    final RedisDeployment redis;
    final ServiceProcess auth;
    final ServiceProcess inventory;
    final ServiceProcess orders;
    /** The client secret generated for orders-service this run (a resource server that may introspect). */
    final String ordersSecret;
    /**
     * The key pair of {@code keyclient}, a client that authenticates with private_key_jwt (RFC 7523) and holds no
     * secret: auth-service is given the public key only, in its registration's JWK Set.
     */
    final com.nimbusds.jose.jwk.RSAKey keyClientKey;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** The environment each service started with, for more replicas of it. */
    private final Map<String, Map<String, String>> environments = new HashMap<>();

    private Suite() {
        this(RedisServer.start(), redis -> { }, Map.of());
    }

    /**
     * @param redis           the Redis the services use (this suite closes it)
     * @param beforeServices  runs against Redis (as its operator) before any service starts
     * @param settings        per service, environment variables of its own (say, shorter timers for a test)
     */
    private Suite(RedisDeployment redis, java.util.function.Consumer<RedisDeployment> beforeServices,
                  Map<String, Map<String, String>> settings) {
        this.redis = redis;
        closeables.add(redis);
        try {
            int authPort = RedisServer.freePort();
            int inventoryPort = RedisServer.freePort();
            int ordersPort = RedisServer.freePort();
            String issuer = "http://127.0.0.1:" + authPort;
            beforeServices.accept(redis);
            ordersSecret = randomSecret();

            Map<String, String> common = new HashMap<>();
            common.put("AUTH_ISSUER", issuer);
            common.put("AUTH_JWKS_URL", issuer + "/oauth2/jwks");
            common.put("AUTH_URL", issuer);
            common.put("INVENTORY_URL", "http://127.0.0.1:" + inventoryPort);
            common.put("ORDERS_URL", "http://127.0.0.1:" + ordersPort);
            common.put("DEMO_ORIGIN", issuer);

            // Each service connects as its own Redis user, limited to its keys (redis/users.acl).
            Map<String, String> authEnv = env(common, redis.serviceEnv("auth-service"));
            // Managed keys: generated, sealed in Redis under this key-encryption key, rotated by auth-service.
            authEnv.put("AUTH_KEYS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(randomBytes(32)));
            // The tests rotate twice in a row on purpose (a key no resource service has seen yet): no publication lead.
            authEnv.put("AUTH_KEYS_PUBLISH_BEFORE_SIGNING", "0s");
            // The services authenticate to auth-service with private_key_jwt (RFC 7523), their own keys: no shared
            // secret. orders-service also keeps a secret, for tests that call auth-service as orders-service.
            com.nimbusds.jose.jwk.RSAKey ordersKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                    .keyID("orders-service-1").generate();
            com.nimbusds.jose.jwk.RSAKey inventoryKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                    .keyID("inventory-service-1").generate();
            authEnv.put("ORDERS_SERVICE_SECRET_HASH", hash(ordersSecret));
            authEnv.put("ORDERS_SERVICE_AUTH_METHODS", "client_secret_basic,private_key_jwt");
            authEnv.put("ORDERS_SERVICE_JWKS", new com.nimbusds.jose.jwk.JWKSet(ordersKey.toPublicJWK()).toString());
            authEnv.put("INVENTORY_SERVICE_AUTH_METHODS", "private_key_jwt");
            authEnv.put("INVENTORY_SERVICE_JWKS",
                    new com.nimbusds.jose.jwk.JWKSet(inventoryKey.toPublicJWK()).toString());
            keyClientKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("keyclient-1").generate();
            authEnv.put("AUTH_CLIENTS_KEYCLIENT_GRANT_TYPES", "client_credentials");
            authEnv.put("AUTH_CLIENTS_KEYCLIENT_SCOPES", "orders:read");
            authEnv.put("AUTH_CLIENTS_KEYCLIENT_AUTH_METHODS", "private_key_jwt");
            authEnv.put("AUTH_CLIENTS_KEYCLIENT_JWKS", new com.nimbusds.jose.jwk.JWKSet(keyClientKey.toPublicJWK())
                    .toString());
            authEnv.putAll(settings.getOrDefault("auth-service", Map.of()));
            auth = start("auth-service", authPort, authEnv);

            Map<String, String> inventoryEnv = env(common, redis.serviceEnv("inventory-service"));
            inventoryEnv.put("SERVICE_CLIENT_KEY_FILE", pem(inventoryKey));
            inventoryEnv.putAll(settings.getOrDefault("inventory-service", Map.of()));
            inventory = start("inventory-service", inventoryPort, inventoryEnv);

            Map<String, String> ordersFullEnv = env(common, redis.serviceEnv("orders-service"));
            ordersFullEnv.put("SERVICE_CLIENT_KEY_FILE", pem(ordersKey));
            ordersFullEnv.putAll(settings.getOrDefault("orders-service", Map.of()));
            orders = start("orders-service", ordersPort, ordersFullEnv);

            for (ServiceProcess service : List.of(auth, inventory, orders)) {
                service.awaitReady(Duration.ofSeconds(90));
            }
        } catch (RuntimeException | com.nimbusds.jose.JOSEException e) {
            close();
            throw new IllegalStateException("the suite did not start", e);
        }
    }

    private static Suite shared;

    /** A private key as a PKCS#8 PEM file (deleted when the JVM exits), for SERVICE_CLIENT_KEY_FILE. */
    private static String pem(com.nimbusds.jose.jwk.RSAKey key) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("service-client-key", ".pem");
            file.toFile().deleteOnExit();
            String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(key.toPrivateKey().getEncoded());
            java.nio.file.Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
            return file.toString();
        } catch (java.io.IOException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mutable environment: {@code base}, then {@code more}, then name/value pairs. */
    static Map<String, String> env(Map<String, String> base, Map<String, String> more, String... pairs) {
        Map<String, String> env = new HashMap<>(base);
        env.putAll(more);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    static Map<String, String> env(Map<String, String> base, String... pairs) {
        return env(base, Map.of(), pairs);
    }

    /** A suite of its own, for a test that breaks it (stops a service); the caller closes it. */
    static Suite startPrivate() {
        return new Suite();
    }

    static Suite startPrivate(java.util.function.Consumer<RedisDeployment> beforeServices) {
        return new Suite(RedisServer.start(), beforeServices, Map.of());
    }

    /** A suite of its own on the given Redis (say, one behind Sentinels); the caller closes it. */
    static Suite startPrivate(RedisDeployment redis) {
        return startPrivate(redis, Map.of());
    }

    /** {@link #startPrivate(RedisDeployment)} whose services get some settings of their own (service -> env). */
    static Suite startPrivate(RedisDeployment redis, Map<String, Map<String, String>> settings) {
        return new Suite(redis, r -> { }, settings);
    }

    /**
     * Settings for a fault test's load: demo-cli may ask for tokens without the per-client rate limit (6,000 a
     * minute), which a native auth-service reaches within the load's ten seconds and then answers 429, not the
     * fault's 503.
     */
    static final Map<String, Map<String, String>> UNLIMITED_TOKENS =
            Map.of("auth-service", Map.of("AUTH_LIMITS_TOKEN_REQUESTS_PER_MINUTE", "100000000"));

    /** A suite of its own whose services get some settings of their own ({@code settings}: service -> env). */
    static Suite startPrivate(Map<String, Map<String, String>> settings) {
        return new Suite(RedisServer.start(), r -> { }, settings);
    }

    /**
     * The suite all system tests share: started on first use, stopped when the test JVM exits. One start for every
     * test class keeps the run short; the tests do not depend on each other's data.
     */
    static synchronized Suite shared() {
        if (shared == null) {
            shared = new Suite();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /**
     * Another replica of {@code service}: the same settings on its own port, as a fleet behind a Service runs it.
     * The suite stops it with the rest.
     */
    ServiceProcess startReplica(String service, String replica) {
        return startReplica(service, replica, Map.of());
    }

    /** {@link #startReplica(String, String)} with some settings of its own ({@code overrides}, environment variables). */
    ServiceProcess startReplica(String service, String replica, Map<String, String> overrides) {
        int port = RedisServer.freePort();
        ServiceProcess process = ServiceProcess.start(service + "-" + replica, jar(service), port,
                Map.of("quarkus.profile", "local", "quarkus.http.port", Integer.toString(port)),
                env(environments.get(service), overrides), WORK);
        closeables.add(0, process);
        process.awaitReady(Duration.ofSeconds(90));
        return process;
    }

    /** Starts {@code service} again on the port of {@code stopped}, with the settings it had, as a pod restart does. */
    ServiceProcess restart(String service, ServiceProcess stopped) {
        stopped.close();
        ServiceProcess process = ServiceProcess.start(service + "-restarted", jar(service), stopped.port(),
                Map.of("quarkus.profile", "local", "quarkus.http.port", Integer.toString(stopped.port())),
                environments.get(service), WORK);
        closeables.add(0, process);
        process.awaitReady(Duration.ofSeconds(90));
        return process;
    }

    private ServiceProcess start(String name, int port, Map<String, String> env) {
        environments.put(name, Map.copyOf(env));
        ServiceProcess process = ServiceProcess.start(name, jar(name), port,
                Map.of("quarkus.profile", "local", "quarkus.http.port", Integer.toString(port)), env, WORK);
        closeables.add(0, process);
        return process;
    }

    /**
     * Signs a person in as web-app through the real login form (code + PKCE, the RFC 7636 example pair) and
     * returns the access token.
     */
    String accessTokenFor(String username, String password, String scope) throws Exception {
        return signIn(username, password, scope).getString("access_token");
    }

    /** Signs a person in through the login form (client web-app, PKCE) and returns the token response. */
    io.restassured.path.json.JsonPath signIn(String username, String password, String scope) throws Exception {
        return redeem(code(username, password, scope)).then().statusCode(200).extract().jsonPath();
    }

    /** The browser part of {@link #signIn}: the authorization code the login form hands web-app, not yet redeemed. */
    String code(String username, String password, String scope) throws Exception {
        java.net.URI callback = StandardOidcClientIT.signInThroughLoginForm(
                java.net.URI.create(authorizeUrl(auth.url(), scope)), username, password);
        return callback.getQuery().replaceAll(".*code=([^&]+).*", "$1");
    }

    /** web-app's authorization request at the auth-service at {@code authUrl} (PKCE with the RFC 7636 example pair). */
    static String authorizeUrl(String authUrl, String scope) {
        return authUrl
                + "/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fcallback"
                + "&scope=" + java.net.URLEncoder.encode(scope, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
    }

    /** Redeems a code of {@link #code} at the token endpoint, as web-app. */
    io.restassured.response.Response redeem(String code) {
        return io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("client_id", "web-app")
                .formParam("code", code).formParam("redirect_uri", "http://127.0.0.1:9999/callback")
                .formParam("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                .post(auth.url() + "/oauth2/token");
    }

    /** The environment a service of this suite was started with. */
    Map<String, String> environmentOf(String service) {
        return environments.get(service);
    }

    /** A client-credentials access token of demo-cli for {@code scope}. */
    String demoCliToken(String scope) {
        return io.restassured.RestAssured.given().auth().preemptive().basic("demo-cli", "demo-cli-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("scope", scope)
                .post(auth.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    /**
     * Places {@code count} orders of {@code orderBody}, each answered 201: before a fault, so that the load measured
     * around it shows the steady state, not the first requests' latency.
     */
    void warmOrders(String token, String orderBody, int count) {
        for (int i = 0; i < count; i++) {
            io.restassured.RestAssured.given().auth().oauth2(token).contentType("application/json").body(orderBody)
                    .post(orders.url() + "/orders").then().statusCode(201);
        }
    }

    /** A new item with {@code stock} units (sku {@code prefix-xxxxxxxx}), created through the admin API. */
    String newItem(String prefix, long stock) throws Exception {
        String sku = prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String admin = accessTokenFor("admin", "admin-password", "openid inventory:write inventory:read");
        io.restassured.RestAssured.given().auth().oauth2(admin).contentType("application/json")
                .body("{\"name\":\"" + prefix + "\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"stock\":" + stock + "}")
                .put(inventory.url() + "/inventory/items/" + sku).then().statusCode(201);
        return sku;
    }

    /**
     * Sends {@code count} orders of one unit of {@code sku} at the same moment and counts their answers by status:
     * the race that must give exactly as many 201 as there is stock.
     */
    java.util.Map<Integer, Integer> orderAtOnce(String token, String sku, int count) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(count);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return io.restassured.RestAssured.given().auth().oauth2(token).contentType("application/json")
                            .body("{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")
                            .post(this.orders.url() + "/orders").statusCode();
                }));
            }
            go.countDown();
            java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (java.util.concurrent.Future<Integer> f : results) {
                statuses.merge(f.get(), 1, Integer::sum);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many client-credentials tokens auth-service issued to a client, from its metrics; 0 before the first. */
    int tokensIssuedTo(String clientId) {
        return tokensIssuedTo(auth.url(), clientId);
    }

    /** {@link #tokensIssuedTo(String)} of the auth-service replica at {@code authUrl}. */
    static int tokensIssuedTo(String authUrl, String clientId) {
        String metrics = io.restassured.RestAssured.given().get(authUrl + "/q/metrics").then().statusCode(200)
                .extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "^authsuite_tokens_issued_total\\{([^}]*)} ([0-9.]+)$", java.util.regex.Pattern.MULTILINE).matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains("client_id=\"" + clientId + "\"")
                    && m.group(1).contains("grant_type=\"client_credentials\"")) {
                return (int) Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    /**
     * What runs {@code service}: its jar, or with {@code -Dauthsuite.native=true} its native executable (from
     * {@code make native}), so that the whole cross-service suite can run native.
     */
    static Path jar(String service) {
        if (Boolean.getBoolean("authsuite.native")) {
            Path target = ROOT.resolve(service).resolve("target");
            try (var files = java.nio.file.Files.list(target)) {
                return files.filter(p -> p.getFileName().toString().matches(service + "-.*-runner")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no native executable in " + target + ": make native"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static void writeSigningKey(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomSecret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** The {@code sha256:} hash auth-service stores (its ClientSecrets format). */
    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes());
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: every process is still asked to stop
            }
        }
    }
}
