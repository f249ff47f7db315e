package io.authsuite.auth.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.token.TokenRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dynamic client registration (RFC 7591) and its management (RFC 7592). */
@QuarkusTest
public class DynamicRegistrationTest {

    public static String mintInitialAccessToken(int maxUses) {
        String admin = OAuthFlow.userToken(TestClients.ADMIN, "openid clients:manage");
        return given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("expires_in", 600, "max_uses", maxUses))
                .post("/admin/clients/initial-access-tokens").then().statusCode(201)
                .body("max_uses", equalTo(maxUses))
                .extract().path("initial_access_token");
    }

    public static Response register(String initialAccessToken, Object metadata) {
        return given().auth().oauth2(initialAccessToken).contentType("application/json").body(metadata)
                .post("/oauth2/register");
    }

    /** A service registered with a fresh initial access token: its id, registration access token and RFC 7592 URI. */
    record Registered(String id, String token, String uri) {
        static Registered service() {
            Response answer = register(mintInitialAccessToken(1), SERVICE);
            String id = answer.path("client_id");
            return new Registered(id, answer.path("registration_access_token"), "/oauth2/register/" + id);
        }
    }

    static final Map<String, Object> SERVICE = Map.of("grant_types", List.of("client_credentials"),
            "token_endpoint_auth_method", "client_secret_basic", "scope", "orders:read", "client_name", "Reporting job");

    @Test
    void registerConfidentialClientThenCredentialsOnceAndTokensIssued() {
        String iat = mintInitialAccessToken(1);
        Response registered = register(iat, SERVICE);
        registered.then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("client_id", startsWith("dyn-"))
                .body("client_secret", notNullValue())
                .body("client_secret_expires_at", equalTo(0))
                .body("client_id_issued_at", notNullValue())
                .body("registration_access_token", notNullValue())
                .body("registration_client_uri", startsWith("https://auth.test/oauth2/register/dyn-"))
                .body("grant_types", hasItem("client_credentials"))
                .body("token_endpoint_auth_method", equalTo("client_secret_basic"))
                .body("client_name", equalTo("Reporting job"))
                .body("scope", equalTo("orders:read"));
        String id = registered.path("client_id");
        given().header("Authorization", TokenRequests.basic(id, registered.path("client_secret")))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200);

        // An initial access token of one use is spent.
        register(iat, SERVICE).then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void registerWithoutOrWithUnknownInitialAccessTokenThenInvalidToken() {
        given().contentType("application/json").body(SERVICE).post("/oauth2/register").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
        register("made-up-token", SERVICE).then().statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void registerWhenBodyIsNotJsonThenInvalidRequestSayingJson() {
        // RFC 7591 §3: the registration request is JSON; nothing took this media type, so the path tells what was due.
        given().auth().oauth2(TestClients.initialAccessToken()).contentType("text/plain").body("{}")
                .post("/oauth2/register").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("the request must be application/json"));
    }

    @Test
    void registerWithConfiguredInitialAccessTokenThenReusable() {
        register(TestClients.initialAccessToken(), SERVICE).then().statusCode(201);
        register(TestClients.initialAccessToken(), SERVICE).then().statusCode(201);
    }

    static Stream<Arguments> refusedMetadata() {
        return Stream.of(
                Arguments.of("http redirect of a web app", Map.of("redirect_uris", List.of("http://app.example/cb")),
                        "invalid_redirect_uri"),
                Arguments.of("redirect with fragment", Map.of("redirect_uris", List.of("https://app.example/cb#x")),
                        "invalid_redirect_uri"),
                Arguments.of("code grant without redirect", Map.of("grant_types", List.of("authorization_code")),
                        "invalid_redirect_uri"),
                Arguments.of("implicit response type", Map.of("redirect_uris", List.of("https://app.example/cb"),
                        "response_types", List.of("token")), "invalid_client_metadata"),
                Arguments.of("password grant", Map.of("grant_types", List.of("password")), "invalid_client_metadata"),
                Arguments.of("token exchange", Map.of("grant_types",
                        List.of("urn:ietf:params:oauth:grant-type:token-exchange")), "invalid_client_metadata"),
                Arguments.of("scope beyond the allowed", Map.of("grant_types", List.of("client_credentials"),
                        "scope", "users:manage"), "invalid_client_metadata"),
                Arguments.of("jwks_uri", Map.of("grant_types", List.of("client_credentials"),
                        "token_endpoint_auth_method", "private_key_jwt", "jwks_uri", "https://app.example/jwks"),
                        "invalid_client_metadata"),
                Arguments.of("private_key_jwt without keys", Map.of("grant_types", List.of("client_credentials"),
                        "token_endpoint_auth_method", "private_key_jwt", "scope", "orders:read"),
                        "invalid_client_metadata"),
                Arguments.of("jwks whose keys is a string", keyJwks("x"), "invalid_client_metadata"),
                Arguments.of("jwks whose keys is an object", keyJwks(Map.of()), "invalid_client_metadata"),
                Arguments.of("jwks whose key is a number", keyJwks(List.of(1)), "invalid_client_metadata"),
                Arguments.of("jwks whose kty is a number", keyJwks(List.of(Map.of("kty", 1))),
                        "invalid_client_metadata"),
                Arguments.of("jwks whose key is null", keyJwks(Arrays.asList((Object) null)),
                        "invalid_client_metadata"),
                Arguments.of("jwks whose modulus is a number", keyJwks(List.of(Map.of("kty", "RSA", "n", 1,
                        "e", "AQAB"))), "invalid_client_metadata"),
                Arguments.of("unknown auth method", Map.of("grant_types", List.of("client_credentials"),
                        "token_endpoint_auth_method", "tls_client_auth"), "invalid_client_metadata"),
                Arguments.of("public client with client_credentials", Map.of("grant_types",
                        List.of("client_credentials"), "token_endpoint_auth_method", "none"), "invalid_client_metadata"),
                Arguments.of("confidential native app", Map.of("application_type", "native",
                        "redirect_uris", List.of("http://127.0.0.1/cb")), "invalid_client_metadata"),
                Arguments.of("software statement", Map.of("software_statement", "eyJhbGciOiJub25lIn0.e30."),
                        "unapproved_software_statement"),
                // What every replica keeps in memory and reads again at each change is bounded (RFC 9700 §4.15).
                Arguments.of("client name of 201 characters", Map.of("grant_types", List.of("client_credentials"),
                        "client_name", "n".repeat(201)), "invalid_client_metadata"),
                Arguments.of("11 redirect URIs", Map.of("redirect_uris", java.util.stream.IntStream.range(0, 11)
                        .mapToObj(i -> "https://app.example/cb" + i).toList()), "invalid_redirect_uri"),
                Arguments.of("redirect URI of 2049 characters", Map.of("redirect_uris",
                        List.of("https://app.example/" + "p".repeat(2029))), "invalid_redirect_uri"),
                Arguments.of("11 post-logout URIs", Map.of("redirect_uris", List.of("https://app.example/cb"),
                        "post_logout_redirect_uris", java.util.stream.IntStream.range(0, 11)
                                .mapToObj(i -> "https://app.example/out" + i).toList()), "invalid_client_metadata"),
                Arguments.of("scope of 1025 characters", Map.of("grant_types", List.of("client_credentials"),
                        "scope", "orders:read " + "x".repeat(1013)), "invalid_client_metadata"),
                Arguments.of("jwks of 11 keys", keyJwks(java.util.Collections.nCopies(11, Map.of("kty", "EC",
                        "crv", "P-256", "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                        "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"))), "invalid_client_metadata"),
                // RFC 7591 §3.2.2: a value of the wrong JSON type is invalid metadata, not an invalid request.
                Arguments.of("redirect_uris as a string", Map.of("redirect_uris", "https://app.example/cb"),
                        "invalid_redirect_uri"),
                Arguments.of("jwks as a string", Map.of("grant_types", List.of("client_credentials"),
                        "token_endpoint_auth_method", "private_key_jwt", "jwks", "x"), "invalid_client_metadata"),
                Arguments.of("dpop_bound_access_tokens as a word", Map.of("grant_types", List.of("client_credentials"),
                        "dpop_bound_access_tokens", "yes"), "invalid_client_metadata"),
                Arguments.of("native app with a localhost redirect", Map.of("application_type", "native",
                        "token_endpoint_auth_method", "none", "redirect_uris", List.of("http://localhost/cb")),
                        "invalid_redirect_uri"),
                Arguments.of("null grant type", Map.of("grant_types", Arrays.asList("client_credentials", null)),
                        "invalid_client_metadata"),
                Arguments.of("null response type", Map.of("redirect_uris", List.of("https://app.example/cb"),
                        "response_types", Arrays.asList((String) null)), "invalid_client_metadata"),
                Arguments.of("null redirect URI", Map.of("redirect_uris", Arrays.asList("https://app.example/cb", null)),
                        "invalid_redirect_uri"),
                Arguments.of("null post-logout URI", Map.of("redirect_uris", List.of("https://app.example/cb"),
                        "post_logout_redirect_uris", Arrays.asList((String) null)), "invalid_client_metadata"),
                Arguments.of("post-logout URI with a space", Map.of("redirect_uris", List.of("https://app.example/cb"),
                        "post_logout_redirect_uris", List.of("https://a.example/a b")), "invalid_client_metadata"),
                Arguments.of("javascript post-logout URI", Map.of("redirect_uris", List.of("https://app.example/cb"),
                        "post_logout_redirect_uris", List.of("javascript:alert(1)")), "invalid_client_metadata"),
                Arguments.of("http post-logout URI of a web app", Map.of("redirect_uris",
                        List.of("https://app.example/cb"), "post_logout_redirect_uris",
                        List.of("http://app.example/bye")), "invalid_client_metadata"));
    }

    /** A private_key_jwt registration whose jwks holds {@code keys} as given: JSON of any shape, as an attacker sends. */
    private static Map<String, Object> keyJwks(Object keys) {
        return Map.of("grant_types", List.of("client_credentials"), "token_endpoint_auth_method", "private_key_jwt",
                "scope", "orders:read", "jwks", Map.of("keys", keys));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedMetadata")
    void registerWhenMetadataRefusedThenErrorAndInitialAccessTokenKept(String name, Map<String, Object> metadata,
                                                                       String error) {
        String iat = mintInitialAccessToken(1);
        register(iat, metadata).then().statusCode(400)
                .body("error", equalTo(error))
                .body("error_description", notNullValue());
        // A refused registration spends nothing.
        register(iat, SERVICE).then().statusCode(201);
    }

    @Test
    void registerNativePublicAppWithLoopbackRedirectThenNoSecret() {
        register(mintInitialAccessToken(1), Map.of("application_type", "native", "token_endpoint_auth_method", "none",
                "redirect_uris", List.of("http://127.0.0.1/callback", "com.example.app:/callback"),
                "grant_types", List.of("authorization_code", "refresh_token"), "scope", "openid profile"))
                .then().statusCode(201)
                .body("client_secret", nullValue())
                .body("token_endpoint_auth_method", equalTo("none"))
                .body("response_types", hasItem("code"));
    }

    @Test
    void manageWithRegistrationAccessTokenThenReadUpdateDelete() {
        Response registered = register(mintInitialAccessToken(1), SERVICE);
        String id = registered.path("client_id");
        String secret = registered.path("client_secret");
        String rat = registered.path("registration_access_token");
        String uri = "/oauth2/register/" + id;

        // RFC 7592 §3: each answer carries the registration access token; a new one, the one used ends (§2.1).
        String read = given().auth().oauth2(rat).get(uri).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("client_id", equalTo(id))
                .body("client_secret", nullValue())
                .body("registration_access_token", notNullValue())
                .body("registration_client_uri", startsWith("https://auth.test/oauth2/register/" + id))
                .body("client_name", equalTo("Reporting job")).extract().path("registration_access_token");
        given().auth().oauth2(rat).get(uri).then().statusCode(401).body("error", equalTo("invalid_token"));
        rat = read;
        given().auth().oauth2("not-the-token").get(uri).then().statusCode(401).body("error", equalTo("invalid_token"));
        given().auth().oauth2(rat).get("/oauth2/register/dyn-does-not-exist").then().statusCode(401);

        rat = given().auth().oauth2(rat).contentType("application/json")
                .body(Map.of("client_id", id, "client_name", "Reporting job v2", "grant_types",
                        List.of("client_credentials"), "scope", "orders:read openid"))
                .put(uri).then().statusCode(200)
                .body("client_name", equalTo("Reporting job v2"))
                .body("scope", equalTo("orders:read openid"))
                .body("registration_access_token", notNullValue()).extract().path("registration_access_token");
        given().auth().oauth2(rat).contentType("application/json")
                .body(Map.of("client_id", "dyn-someone-else", "grant_types", List.of("client_credentials")))
                .put(uri).then().statusCode(400).body("error", equalTo("invalid_request"));
        given().auth().oauth2(rat).contentType("application/json")
                .body(Map.of("client_id", id, "client_secret", "my-own-choice", "grant_types",
                        List.of("client_credentials")))
                .put(uri).then().statusCode(400).body("error", equalTo("invalid_client_metadata"));

        given().auth().oauth2(rat).delete(uri).then().statusCode(204);
        given().auth().oauth2(rat).get(uri).then().statusCode(401);
        given().header("Authorization", TokenRequests.basic(id, secret))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void readWhenOneTokenSentInParallelThenOneRotationAndTheRestInvalidTokenNeverServerError() throws Exception {
        Registered registered = Registered.service();
        String uri = registered.uri(), rat = registered.token();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                reads.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(rat).get(uri).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var read : reads) {
                statuses.add(read.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            // RFC 7592 §2.1: the token is rotated by exactly one read; the others hold a spent token.
            org.junit.jupiter.api.Assertions.assertEquals(1, statuses.stream().filter(s -> s == 200).count(),
                    statuses.toString());
            org.junit.jupiter.api.Assertions.assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 401),
                    statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manageWhenClientDisabledByAdminThenForbiddenAndRegistrationKeptForReview() {
        Registered registered = Registered.service();
        String id = registered.id(), rat = registered.token(), uri = registered.uri();
        String admin = OAuthFlow.userToken(TestClients.ADMIN, "openid clients:manage");
        given().auth().oauth2(admin).post("/admin/clients/" + id + "/disable").then().statusCode(200);

        // RFC 7592 §2.1-§2.3: a client that may not read, change or delete its record gets 403, and its token is
        // not called invalid: it works again once the client is enabled.
        given().auth().oauth2(rat).get(uri).then().statusCode(403).body("error", equalTo("access_denied"));
        given().auth().oauth2(rat).contentType("application/json")
                .body(Map.of("client_id", id, "client_name", "Changed while disabled", "grant_types",
                        List.of("client_credentials")))
                .put(uri).then().statusCode(403).body("error", equalTo("access_denied"));
        given().auth().oauth2(rat).delete(uri).then().statusCode(403).body("error", equalTo("access_denied"));
        // A wrong token still hears nothing of the client's state.
        given().auth().oauth2("made-up-token").get(uri).then().statusCode(401).body("error", equalTo("invalid_token"));
        given().auth().oauth2(admin).get("/admin/clients/" + id).then().statusCode(200)
                .body("disabled", equalTo(true)).body("registration.client_name", equalTo("Reporting job"));

        // Enabled again, the client manages its registration with the token it holds.
        given().auth().oauth2(admin).post("/admin/clients/" + id + "/enable").then().statusCode(200);
        given().auth().oauth2(rat).get(uri).then().statusCode(200).body("client_name", equalTo("Reporting job"));
    }

    @Test
    void registerWithHttpsPostLogoutUriThenKept() {
        register(mintInitialAccessToken(1), Map.of("redirect_uris", List.of("https://app.example/cb"),
                "post_logout_redirect_uris", List.of("https://app.example/bye")))
                .then().statusCode(201).body("post_logout_redirect_uris", hasItem("https://app.example/bye"));
    }

    @Test
    void updateWhenMetadataArrayHoldsNullOrPostLogoutUriUnsafeThenRefusedAndRegistrationKept() {
        Registered registered = Registered.service();
        String id = registered.id(), rat = registered.token(), uri = registered.uri();
        for (Map<String, Object> metadata : List.of(
                Map.of("client_id", id, "grant_types", Arrays.asList("client_credentials", null)),
                Map.of("client_id", id, "grant_types", List.of("client_credentials"), "post_logout_redirect_uris",
                        Arrays.asList("https://app.example/bye", null)),
                Map.of("client_id", id, "grant_types", List.of("client_credentials"), "post_logout_redirect_uris",
                        List.of("javascript:alert(1)")))) {
            given().auth().oauth2(rat).contentType("application/json").body(metadata).put(uri).then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_client_metadata"))
                    .body("error_description", notNullValue());
        }
        given().auth().oauth2(rat).contentType("application/json")
                .body(Map.of("client_id", id, "grant_types", List.of("authorization_code"),
                        "redirect_uris", Arrays.asList("https://app.example/cb", null)))
                .put(uri).then().statusCode(400).body("error", equalTo("invalid_redirect_uri"));
        // Refused updates leave the token as it was.
        given().auth().oauth2(rat).get(uri).then().statusCode(200).body("client_name", equalTo("Reporting job"));
    }

    @Test
    void registerWhenBodyHasTrailingJsonDocumentThenBadRequest() {
        String body = "{\"grant_types\":[\"client_credentials\"],\"scope\":\"orders:read\"}"
                + "{\"grant_types\":[\"client_credentials\"]}";
        given().auth().oauth2(TestClients.initialAccessToken()).contentType("application/json").body(body)
                .post("/oauth2/register").then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", notNullValue());
    }

    @Test
    void discoveryThenRegistrationEndpoint() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("registration_endpoint", equalTo("https://auth.test/oauth2/register"));
    }
}
