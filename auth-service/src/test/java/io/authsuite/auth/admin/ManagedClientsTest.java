package io.authsuite.auth.admin;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.clients.ClientRegistration;
import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.ClientStore;
import io.authsuite.auth.clients.StoredClient;
import io.authsuite.auth.token.TokenRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The admin API for clients (issue 14 part 4): create, read, update, rotate, disable, delete. */
@QuarkusTest
class ManagedClientsTest {

    static String admin;

    @Inject
    ClientStore store;

    @Inject
    ClientRegistry registry;

    @Inject
    io.authsuite.auth.audit.AuditLog audit;

    static RequestSpecification asAdmin() {
        synchronized (ManagedClientsTest.class) {
            if (admin == null) {
                admin = OAuthFlow.userToken(TestClients.ADMIN, "openid clients:manage");
            }
        }
        return given().auth().oauth2(admin).contentType("application/json");
    }

    static String newId() {
        return "managed-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> serviceRegistration(String scopes) {
        return Map.of("grant_types", List.of("client_credentials"), "scopes", List.of(scopes.split(" ")));
    }

    static Response create(String id, Map<String, Object> registration) {
        return asAdmin().body(Map.of("client_id", id, "registration", registration)).post("/admin/clients");
    }

    static Response clientCredentials(String id, String secret, String scope) {
        return given().header("Authorization", TokenRequests.basic(id, secret))
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", scope).post("/oauth2/token");
    }

    @Test
    void createConfidentialClientThenSecretShownOnceAndTokensIssued() {
        String id = newId();
        Response created = create(id, serviceRegistration("orders:read"));
        created.then().statusCode(201)
                .header("Location", containsString("/admin/clients/" + id))
                .header("Cache-Control", "no-store")
                .body("client_id", equalTo(id))
                .body("source", equalTo("admin"))
                .body("client_secret", notNullValue());
        String secret = created.path("client_secret");
        clientCredentials(id, secret, "orders:read").then().statusCode(200);

        Response read = asAdmin().get("/admin/clients/" + id);
        read.then().statusCode(200)
                .body("client_secret", nullValue())
                .body("secrets", hasSize(1))
                .body("registration.grant_types", hasItem("client_credentials"));
        // Neither the secret nor its hash is ever shown again.
        assertFalse(read.asString().contains(secret));
        assertFalse(read.asString().contains("sha256:"));
        asAdmin().get("/admin/clients").then().statusCode(200)
                .body("client_id", hasItem(id))
                .body("client_id", hasItem(TestClients.SERVICE));
        assertFalse(asAdmin().get("/admin/clients").asString().contains("sha256:"));
    }

    @Test
    void configuredClientThenSeededWithSourceConfig() {
        asAdmin().get("/admin/clients/" + TestClients.SERVICE).then().statusCode(200)
                .body("source", equalTo("config"))
                .body("disabled", equalTo(false));
    }

    @Test
    void createWhenRegistrationCannotWorkThenInvalidClientMetadata() {
        create(newId(), Map.of("client_type", "public", "grant_types", List.of("client_credentials"),
                "scopes", List.of("orders:read"))).then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"))
                .body("error_description", containsString("client_credentials"));
        create(newId(), serviceRegistration("no:such-scope")).then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"));
        create(newId(), Map.of("grant_types", List.of("password"), "scopes", List.of("orders:read")))
                .then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
        create("bad id with spaces", serviceRegistration("orders:read")).then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"));
        // A service's sub is its client_id, a person's a UUID: a client named like a person would be that person.
        create(java.util.UUID.randomUUID().toString(), serviceRegistration("orders:read")).then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"))
                .body("error_description", containsString("subject"));
        // A URI drops "." and ".." segments: such a client could never be disabled or deleted at /admin/clients/{id}.
        create("..", serviceRegistration("orders:read")).then().statusCode(400)
                .body("error_description", containsString("a letter or a digit"));
        // A budget of no token request a minute would answer every token request of the client with 429.
        for (int rate : new int[] {0, -5}) {
            Map<String, Object> registration = new java.util.HashMap<>(serviceRegistration("orders:read"));
            registration.put("token_requests_per_minute", rate);
            create(newId(), registration).then().statusCode(400).body("error", equalTo("invalid_client_metadata"))
                    .body("error_description", containsString("token-requests-per-minute"));
        }
        // RFC 7662 §2.1: introspection needs a client that authenticates.
        create(newId(), Map.of("client_type", "public", "grant_types", List.of("authorization_code"),
                "scopes", List.of("openid"), "redirect_uris", List.of("https://app.example/cb"), "introspection", true))
                .then().statusCode(400).body("error_description", containsString("introspection"));
        create(newId(), Map.of("grant_types", List.of("authorization_code"), "scopes", List.of("openid"),
                "redirect_uris", List.of("https://app.example/cb#fragment"))).then().statusCode(400)
                .body("error_description", containsString("fragment"));
        asAdmin().body(Map.of("registration", serviceRegistration("orders:read"))).post("/admin/clients")
                .then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
        // A JSON null inside any list of the registration (RFC 7591 §3.2.2), not a 500.
        for (String list : List.of("grant_types", "scopes", "audiences", "token_endpoint_auth_methods",
                "redirect_uris", "post_logout_redirect_uris", "allowed_origins", "default_scopes")) {
            Map<String, Object> registration = new java.util.HashMap<>(serviceRegistration("orders:read"));
            registration.put(list, java.util.Arrays.asList(list.equals("grant_types") ? "client_credentials"
                    : list.equals("scopes") || list.equals("default_scopes") ? "orders:read" : "x", null));
            create(newId(), registration).then().statusCode(400)
                    .body("error", equalTo("invalid_client_metadata"))
                    .body("error_description", containsString("null"));
        }
        asAdmin().body("{\"client_id\": ").post("/admin/clients").then().statusCode(400);
    }

    /** A first-party public client for people that may be sent back to {@code postLogout} after logout. */
    static Map<String, Object> appRegistrationWithPostLogout(String... postLogout) {
        Map<String, Object> registration = new java.util.HashMap<>(appRegistration());
        registration.put("post_logout_redirect_uris", List.of(postLogout));
        return registration;
    }

    @Test
    void createOrUpdateWhenPostLogoutRedirectUriBreaksRedirectUriRulesThenInvalidClientMetadata() {
        // The rules of redirect_uris (RedirectUriRules), as dynamic registration applies them: not relative, no
        // fragment, no scheme a browser runs locally.
        for (String bad : List.of("javascript:alert(document.cookie)", "data:text/html,<script>x</script>",
                "https://app.example/bye#top", "/relative/bye", "http://exa mple/bye")) {
            create(newId(), appRegistrationWithPostLogout("https://app.example/ok", bad)).then().statusCode(400)
                    .body("error", equalTo("invalid_client_metadata"))
                    .body("error_description", containsString("post-logout-redirect-uris"));
        }
        String id = newId();
        create(id, appRegistrationWithPostLogout("https://app.example/bye", "http://127.0.0.1:9999/bye"))
                .then().statusCode(201)
                .body("registration.post_logout_redirect_uris", hasItem("https://app.example/bye"));
        asAdmin().body(appRegistrationWithPostLogout("javascript:alert(1)")).put("/admin/clients/" + id)
                .then().statusCode(400).body("error", equalTo("invalid_client_metadata"))
                .body("error_description", containsString("post-logout-redirect-uris"));
        // The refused update changed nothing.
        asAdmin().get("/admin/clients/" + id).then().statusCode(200)
                .body("registration.post_logout_redirect_uris", equalTo(List.of("https://app.example/bye",
                        "http://127.0.0.1:9999/bye")));
    }

    @Test
    void registrationReadWhenItRotatesTheTokenThenNoReplicaReloadsItsClients() {
        Response registered = io.authsuite.auth.registration.DynamicRegistrationTest.register(
                io.authsuite.auth.registration.DynamicRegistrationTest.mintInitialAccessToken(1),
                Map.of("grant_types", List.of("client_credentials"), "scope", "orders:read"));
        String uri = "/oauth2/register/" + registered.path("client_id");
        String rat = registered.path("registration_access_token");
        long changes = store.changeCount();
        for (int i = 0; i < 3; i++) {
            rat = given().auth().oauth2(rat).get(uri).then().statusCode(200).extract().path("registration_access_token");
        }
        // RFC 7592 §2.1 rotates the token on every read; only RFC 7592's endpoint reads it, from the store.
        assertEquals(changes, store.changeCount(), "the registries' change counter moved");
        given().auth().oauth2(rat).get(uri).then().statusCode(200);
    }

    @Test
    void createOrUpdateWhenRedirectUriIsPlainHttpToANetworkHostThenInvalidRedirectUri() {
        Map<String, Object> cleartext = new java.util.HashMap<>(appRegistration());
        cleartext.put("redirect_uris", List.of("https://app.example/cb", "http://app.example/cb"));
        create(newId(), cleartext).then().statusCode(400).body("error", equalTo("invalid_redirect_uri"))
                .body("error_description", containsString("http://app.example/cb"));

        String id = newId();
        Map<String, Object> loopback = new java.util.HashMap<>(appRegistration());
        loopback.put("redirect_uris", List.of("https://app.example/cb", "http://[::1]:7777/cb", TestClients.SPA_REDIRECT));
        create(id, loopback).then().statusCode(201);
        asAdmin().body(cleartext).put("/admin/clients/" + id).then().statusCode(400)
                .body("error", equalTo("invalid_redirect_uri"));
        asAdmin().get("/admin/clients/" + id).then().statusCode(200)
                .body("registration.redirect_uris", hasItem("http://[::1]:7777/cb"));
    }

    @Test
    void registryWhenStoredPostLogoutUriPredatesTheCheckThenClientStillServed() {
        // A record stored before the admin API checked post-logout URIs: refused on a change, still served (logout
        // ignores a URI that is no URI), so that an upgrade does not lock its client out.
        String id = newId();
        long now = Instant.now().getEpochSecond();
        ClientRegistration registration = new ClientRegistration(null, null, List.of("client_credentials"),
                List.of("orders:read"), null, null, null, null, List.of("https://app.example/a b"), null, null, null,
                null, null, null, null, null, null, null);
        assertTrue(store.create(new StoredClient(id, registration, List.of(new StoredClient.Secret(
                io.authsuite.auth.clients.ClientSecrets.hash("s3cret-of-an-older-release"), now, null)), false, 0,
                StoredClient.ADMIN, null, false, null, now, now, 0)));
        await(() -> registry.find(id).isPresent(), "the stored client");
        clientCredentials(id, "s3cret-of-an-older-release", "orders:read").then().statusCode(200);
        asAdmin().body(Map.of("grant_types", List.of("client_credentials"), "scopes", List.of("orders:read"),
                        "post_logout_redirect_uris", List.of("https://app.example/a b")))
                .put("/admin/clients/" + id).then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
    }

    @Test
    void createWhenIdTakenThenConflictAndNothingChanged() {
        create(TestClients.SERVICE, serviceRegistration("orders:read")).then().statusCode(409);
        clientCredentials(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE), "orders:read")
                .then().statusCode(200);
    }

    @Test
    void updateThenNewScopesApplyAtOnce() {
        String id = newId();
        String secret = create(id, serviceRegistration("orders:read")).then().statusCode(201)
                .extract().path("client_secret");
        clientCredentials(id, secret, "inventory:read").then().statusCode(400).body("error", equalTo("invalid_scope"));
        asAdmin().body(serviceRegistration("orders:read inventory:read")).put("/admin/clients/" + id)
                .then().statusCode(200)
                .body("registration.scopes", hasItem("inventory:read"))
                .body("client_secret", nullValue());
        clientCredentials(id, secret, "inventory:read").then().statusCode(200);
        // What changed is on the record, by name.
        assertEquals("scopes", io.authsuite.auth.audit.AuditAssertions.latest(audit,
                io.authsuite.auth.audit.AuditTypes.ADMIN_CLIENT_CHANGE,
                e -> id.equals(e.client()) && "update".equals(e.details().get("action"))).details().get("fields"));
        asAdmin().body(Map.of("client_type", "public", "grant_types", List.of("authorization_code"),
                        "scopes", List.of("openid"), "redirect_uris", List.of("https://a.example/cb")))
                .put("/admin/clients/" + id).then().statusCode(400).body("error_description", containsString("type"));
        asAdmin().body(serviceRegistration("orders:read")).put("/admin/clients/" + newId()).then().statusCode(404);
    }

    @Test
    void signInWhenRedirectUriUnregisteredWhileRequestWaitedThenErrorPageAndNoRedirect() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201);
        Pkce pkce = Pkce.create();
        io.restassured.response.Response authorize = OAuthFlow.authorize(authorizeParams(id, TestClients.SPA_REDIRECT,
                "openid orders:read", pkce, null, null), null);
        assertEquals(303, authorize.statusCode(), authorize.asString());
        // The callback is withdrawn (say, compromised) while the person is at the sign-in page.
        Map<String, Object> moved = new java.util.HashMap<>(appRegistration());
        moved.put("redirect_uris", List.of("https://app.example/elsewhere"));
        asAdmin().body(moved).put("/admin/clients/" + id).then().statusCode(200);

        io.restassured.response.Response login = OAuthFlow.submitLogin(OAuthFlow.path(authorize.getHeader("Location")),
                TestClients.USER, TestClients.password(TestClients.USER));
        // RFC 6749 §3.1.2.3: nothing, not even an error, goes to an address the client no longer registers.
        assertEquals(400, login.statusCode(), login.asString());
        assertEquals(null, login.getHeader("Location"));
        assertTrue(login.asString().contains("no longer uses this redirect address"), login.asString());
    }

    @Test
    void rotateSecretWhenOverlapThenBothWorkUntilPreviousRetired() {
        String id = newId();
        String first = create(id, serviceRegistration("orders:read")).path("client_secret");
        Response rotated = asAdmin().body(Map.of("previous_secret_valid_for", 3600)).post("/admin/clients/" + id + "/secret");
        rotated.then().statusCode(200).header("Cache-Control", "no-store")
                .body("secrets", hasSize(2))
                .body("secrets[0].expires_at", notNullValue())
                .body("secrets[1].expires_at", nullValue());
        String second = rotated.path("client_secret");
        clientCredentials(id, first, "orders:read").then().statusCode(200);
        clientCredentials(id, second, "orders:read").then().statusCode(200);

        asAdmin().delete("/admin/clients/" + id + "/previous-secrets").then().statusCode(200).body("secrets", hasSize(1));
        clientCredentials(id, first, "orders:read").then().statusCode(401).body("error", equalTo("invalid_client"));
        clientCredentials(id, second, "orders:read").then().statusCode(200);
    }

    @Test
    void rotateSecretWithoutOverlapThenPreviousRefusedAtOnce() {
        String id = newId();
        String first = create(id, serviceRegistration("orders:read")).path("client_secret");
        String second = asAdmin().body(Map.of("previous_secret_valid_for", 0)).post("/admin/clients/" + id + "/secret")
                .then().statusCode(200).extract().path("client_secret");
        clientCredentials(id, first, "orders:read").then().statusCode(401);
        clientCredentials(id, second, "orders:read").then().statusCode(200);
        asAdmin().body(Map.of("previous_secret_valid_for", 90L * 86400)).post("/admin/clients/" + id + "/secret")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    /** A first-party public client for people, so a sign-in needs no consent page. */
    static Map<String, Object> appRegistration() {
        return Map.of("client_type", "public", "grant_types", List.of("authorization_code", "refresh_token"),
                "scopes", List.of("openid", "orders:read"), "redirect_uris", List.of(TestClients.SPA_REDIRECT),
                "first_party", true);
    }

    static io.restassured.path.json.JsonPath signInWith(String clientId) {
        return signInWith(clientId, "openid orders:read");
    }

    static io.restassured.path.json.JsonPath signInWith(String clientId, String scope) {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(clientId, TestClients.SPA_REDIRECT, scope,
                pkce, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        return OAuthFlow.exchange(clientId, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().jsonPath();
    }

    static boolean introspectedActive(String token) {
        return given().header("Authorization", TokenRequests.basic(TestClients.RESOURCE_SERVER,
                        TestClients.secret(TestClients.RESOURCE_SERVER)))
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    @Test
    void disableThenNoTokensFamiliesRevokedAndAccessTokensDenied() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201).body("client_secret", nullValue());
        var tokens = signInWith(id);
        assertTrue(introspectedActive(tokens.getString("access_token")));

        asAdmin().post("/admin/clients/" + id + "/disable").then().statusCode(200).body("disabled", equalTo(true));
        OAuthFlow.refresh(id, tokens.getString("refresh_token"), null).then().statusCode(401)
                .body("error", equalTo("invalid_client"));
        assertFalse(introspectedActive(tokens.getString("access_token")));
        given().auth().oauth2(tokens.getString("access_token")).get("/oauth2/userinfo").then().statusCode(401);
        OAuthFlow.authorize(authorizeParams(id, TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null), null)
                .then().statusCode(400);

        // Enabling lets the client work again, but brings back nothing it held.
        asAdmin().post("/admin/clients/" + id + "/enable").then().statusCode(200).body("disabled", equalTo(false));
        OAuthFlow.refresh(id, tokens.getString("refresh_token"), null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        assertFalse(introspectedActive(tokens.getString("access_token")));
        var fresh = signInWith(id);
        OAuthFlow.refresh(id, fresh.getString("refresh_token"), null).then().statusCode(200);
    }

    @Inject
    io.authsuite.auth.token.AccessTokenIssuer issuer;

    @Test
    void disableWhenAnotherReplicaStillServesTheClientThenTheTokensItIssuesMeanwhileDeniedToo() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201);
        Instant disabledAt = Instant.now();
        asAdmin().post("/admin/clients/" + id + "/disable").then().statusCode(200);

        // A replica whose registry has not yet looked for changes signs one more token for the client, a refresh
        // interval later, from a request that found the client enabled a moment before that.
        Instant stale = disabledAt.plus(authConfig.clientRegistry().refreshInterval()).plusSeconds(1);
        var ticket = new io.authsuite.auth.token.AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), stale,
                stale.plus(Duration.ofMinutes(15)));
        String token = issuer.issue(id, id, java.util.Set.of("orders-service"), java.util.Set.of("orders:read"),
                Map.of(), ticket).value();
        assertFalse(introspectedActive(token));
    }

    @Test
    void enableRightAfterDisableThenTokensIssuedAfterItAreNotBornDenied() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201);
        asAdmin().post("/admin/clients/" + id + "/disable").then().statusCode(200);
        asAdmin().post("/admin/clients/" + id + "/enable").then().statusCode(200).body("disabled", equalTo(false));

        var fresh = signInWith(id);
        assertTrue(introspectedActive(fresh.getString("access_token")));
    }

    @Test
    void enableWhenACodeWasIssuedBeforeTheDisableThenTheCodeIsRefused() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201);
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(id, TestClients.SPA_REDIRECT, "openid orders:read", pkce,
                null, null), TestClients.USER, TestClients.password(TestClients.USER));
        asAdmin().post("/admin/clients/" + id + "/disable").then().statusCode(200);
        asAdmin().post("/admin/clients/" + id + "/enable").then().statusCode(200);

        OAuthFlow.exchange(id, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier()).then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("disabled"));
        signInWith(id);
    }

    @Test
    void codeWhenRegistrationNarrowedSinceApprovalThenTokensHoldOnlyWhatItStillAllows() {
        String id = newId();
        Map<String, Object> wide = new java.util.HashMap<>(appRegistration());
        wide.put("scopes", List.of("openid", "orders:read", "inventory:read"));
        create(id, wide).then().statusCode(201);
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn approved = signIn(authorizeParams(id, TestClients.SPA_REDIRECT,
                "openid orders:read inventory:read", pkce, null, null), TestClients.USER,
                TestClients.password(TestClients.USER));
        Pkce emptied = Pkce.create();
        OAuthFlow.SignedIn approvedForNothingLeft = signIn(authorizeParams(id, TestClients.SPA_REDIRECT,
                "inventory:read", emptied, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        // An admin takes inventory:read away between the approvals and their redemptions.
        asAdmin().body(appRegistration()).put("/admin/clients/" + id).then().statusCode(200);

        io.restassured.path.json.JsonPath tokens = OAuthFlow.exchange(id, approved.code(), TestClients.SPA_REDIRECT,
                pkce.verifier()).then().statusCode(200).extract().jsonPath();
        assertEquals("openid orders:read", tokens.getString("scope"));
        assertFalse(OAuthFlow.claims(tokens.getString("access_token")).contains("inventory"));
        // The family keeps only what is left too: its refresh cannot bring the scope back.
        OAuthFlow.refresh(id, tokens.getString("refresh_token"), null).then().statusCode(200)
                .body("scope", equalTo("openid orders:read"));
        OAuthFlow.exchange(id, approvedForNothingLeft.code(), TestClients.SPA_REDIRECT, emptied.verifier()).then()
                .statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("no longer"));
    }

    @Inject
    io.authsuite.auth.store.RefreshTokenStore refreshTokens;

    @Inject
    io.authsuite.auth.users.UserStore users;

    @Test
    void disableWhenAnotherReplicaBeginsAFamilyMeanwhileThenItEndsWithTheRest() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201);
        asAdmin().post("/admin/clients/" + id + "/disable").then().statusCode(200);
        // A replica whose registry has not yet seen the disable redeems a code a moment after it.
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();
        String token = refreshTokens.start(id, subject, "openid orders:read", null, Instant.now().getEpochSecond())
                .token();
        asAdmin().post("/admin/clients/" + id + "/enable").then().statusCode(200);

        OAuthFlow.refresh(id, token, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshWhenRegistrationNoLongerCoversTheGrantThenRefusedWithoutFalseReuse() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201);
        String refreshToken = signInWith(id, "orders:read").getString("refresh_token");
        asAdmin().body(Map.of("client_type", "public", "grant_types", List.of("authorization_code", "refresh_token"),
                        "scopes", List.of("openid", "inventory:read"), "redirect_uris", List.of(TestClients.SPA_REDIRECT),
                        "first_party", true))
                .put("/admin/clients/" + id).then().statusCode(200);

        // Narrowed to a scope the registration no longer lists: refused before the token is spent.
        OAuthFlow.refresh(id, refreshToken, "orders:read").then().statusCode(400)
                .body("error", equalTo("invalid_scope"));
        OAuthFlow.refresh(id, refreshToken, null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("no longer covers"));
        // The grant ended there: a retry hears that, not that a stolen copy was used.
        OAuthFlow.refresh(id, refreshToken, null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", not(containsString("already used")));
    }

    @jakarta.inject.Inject
    io.authsuite.auth.config.AuthConfig authConfig;

    @jakarta.inject.Inject
    io.authsuite.auth.clients.ResourceRegistry resources;

    @jakarta.inject.Inject
    io.authsuite.auth.clients.ClientStore clientStore;

    @jakarta.inject.Inject
    io.vertx.core.Vertx vertx;

    @Test
    void configuredClientWhenDeletedThenSeededAgainAtAnotherStartWithoutItsTokens() {
        String id = TestClients.RESEEDED;
        var tokens = signInWith(id);
        asAdmin().delete("/admin/clients/" + id).then().statusCode(204);
        // Another pod starts: its registry seeds the configured client it finds missing from Redis.
        new io.authsuite.auth.clients.ClientRegistry(authConfig, resources, clientStore, vertx);
        registry.refresh();
        asAdmin().get("/admin/clients/" + id).then().statusCode(200);
        OAuthFlow.refresh(id, tokens.getString("refresh_token"), null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        OAuthFlow.refresh(id, signInWith(id).getString("refresh_token"), null).then().statusCode(200);
    }

    @Test
    void deleteThenGoneTokensDeniedAndSameIdInheritsNothing() {
        String id = newId();
        create(id, appRegistration()).then().statusCode(201);
        var tokens = signInWith(id);
        asAdmin().delete("/admin/clients/" + id).then().statusCode(204);
        asAdmin().get("/admin/clients/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        asAdmin().delete("/admin/clients/" + id).then().statusCode(404);
        assertFalse(introspectedActive(tokens.getString("access_token")));

        create(id, appRegistration()).then().statusCode(201);
        OAuthFlow.refresh(id, tokens.getString("refresh_token"), null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void withoutAdminRoleOrScopeThenRefused() {
        given().get("/admin/clients").then().statusCode(401);
        String user = OAuthFlow.userToken(TestClients.USER, "openid clients:manage");
        given().auth().oauth2(user).get("/admin/clients").then().statusCode(403)
                .body("error", equalTo("insufficient_scope"));
        String adminWithoutScope = OAuthFlow.userToken(TestClients.ADMIN, "openid users:manage");
        given().auth().oauth2(adminWithoutScope).get("/admin/clients").then().statusCode(403)
                .header("WWW-Authenticate", containsString("clients:manage"));
    }

    static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 10 s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void registryWhenAnotherReplicaChangesAClientThenSeenHereWithoutRestart() {
        // Written straight to Redis, as another replica's admin API would: this replica only follows the store.
        String id = newId();
        long now = Instant.now().getEpochSecond();
        ClientRegistration registration = new ClientRegistration(null, null, List.of("client_credentials"),
                List.of("orders:read"), null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
        assertTrue(store.create(new StoredClient(id, registration, List.of(new StoredClient.Secret(
                io.authsuite.auth.clients.ClientSecrets.hash("s3cret-of-another-replica"), now, null)), false, 0,
                StoredClient.ADMIN, null, false, null, now, now, 0)));
        await(() -> registry.find(id).isPresent(), "the new client");
        clientCredentials(id, "s3cret-of-another-replica", "orders:read").then().statusCode(200);

        store.update(id, c -> c.withDisabled(true, System.currentTimeMillis(), System.currentTimeMillis()));
        await(() -> registry.find(id).isEmpty(), "the client disabled");
        clientCredentials(id, "s3cret-of-another-replica", "orders:read").then().statusCode(401);
    }
}
