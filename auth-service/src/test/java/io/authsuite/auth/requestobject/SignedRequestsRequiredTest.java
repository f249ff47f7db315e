package io.authsuite.auth.requestobject;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.auth.LeakWatch;
import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.clients.ClientAssertions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.MatcherAssert;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** A server that accepts authorization requests only as request objects signed by their client (RFC 9101 §10.5). */
@QuarkusTest
@TestProfile(SignedRequestsRequiredTest.SignedOnly.class)
class SignedRequestsRequiredTest {

    private static final String CLIENT = "jar-configured";
    private static final RequestObjectClients CLIENTS = new RequestObjectClients();

    public static class SignedOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Configured, not made through the admin API: an admin's token comes from a sign-in, which only a client
            // that signs its requests can start here. This one is how an operator reaches the admin API.
            String c = "auth.clients." + CLIENT + ".";
            return Map.of("auth.authorization-code.require-signed-requests", "true",
                    c + "grant-types", "authorization_code", c + "scopes", "openid,orders:read,clients:manage",
                    c + "auth-methods", "private_key_jwt", c + "redirect-uris", RequestObjectClients.REDIRECT,
                    c + "first-party", "true", c + "jwks", RequestObjectClients.publicJwks());
        }
    }

    private static String signedRequest(String client, String state) {
        return RequestObjectClients.sign(CLIENTS.request(client, Pkce.create(), state), RequestObjectClients.KEY,
                "oauth-authz-req+jwt");
    }

    @Test
    void authorizeWhenRequestNotSignedThenInvalidRequestAtRedirectUri() {
        Response r = authorize(OAuthFlow.authorizeParams(CLIENT, RequestObjectClients.REDIRECT, "openid", Pkce.create(),
                "st", null), null);
        assertEquals(303, r.statusCode(), r.asString());
        Map<String, String> redirect = OAuthFlow.query(r.getHeader("Location"));
        assertEquals("invalid_request", redirect.get("error"));
        assertEquals("st", redirect.get("state"));
        MatcherAssert.assertThat(redirect.get("error_description"), containsString("this server accepts"));
    }

    @Test
    void authorizeWhenClientHasNoKeysThenRefusalSaysSo() {
        Response r = authorize(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), "st", null), null);
        assertEquals(303, r.statusCode(), r.asString());
        Map<String, String> redirect = OAuthFlow.query(r.getHeader("Location"));
        assertEquals("invalid_request", redirect.get("error"));
        MatcherAssert.assertThat(redirect.get("error_description"), containsString("no registered keys"));
        given().contentType("application/x-www-form-urlencoded")
                .formParams(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                        Pkce.create(), "st", null))
                .post("/oauth2/par").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("no registered keys"));
    }

    @Test
    void authorizeWhenRequestSignedThenSignInAsUsual() {
        Map<String, String> byValue = new LinkedHashMap<>();
        byValue.put("client_id", CLIENT);
        byValue.put("request", signedRequest(CLIENT, "v"));
        Response r = authorize(byValue, null);
        assertEquals(303, r.statusCode(), r.asString());
        assertEquals("/login", OAuthFlow.path(r.getHeader("Location")).split("\\?")[0]);
    }

    @Test
    void startWhenClientsHaveNoKeysThenWarningNamesThemOnly() throws IOException {
        // The server under test logs to this file (see LeakWatch); its start is over before the first test runs.
        String warning = Files.readAllLines(LeakWatch.DIR.resolve("quarkus.log")).stream()
                .filter(line -> line.contains("WARN") && line.contains("require-signed-requests")).findFirst()
                .orElseThrow(() -> new AssertionError("no warning about clients that cannot sign"));
        MatcherAssert.assertThat(warning, containsString(TestClients.SPA));
        MatcherAssert.assertThat(warning, org.hamcrest.Matchers.not(containsString(CLIENT)));
    }

    /** An admin's access token, through a signed request of the configured client and private_key_jwt. */
    private static String adminToken() {
        Pkce pkce = Pkce.create();
        JwtClaims claims = CLIENTS.request(CLIENT, pkce, "admin");
        claims.setClaim("scope", "openid clients:manage");
        Map<String, String> byValue = new LinkedHashMap<>();
        byValue.put("client_id", CLIENT);
        byValue.put("request", RequestObjectClients.sign(claims, RequestObjectClients.KEY, "oauth-authz-req+jwt"));
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(byValue, TestClients.ADMIN, TestClients.password(TestClients.ADMIN));
        JwtClaims assertion = new JwtClaims();
        assertion.setIssuer(CLIENT);
        assertion.setSubject(CLIENT);
        assertion.setAudience(CLIENTS.issuer());
        assertion.setExpirationTimeMinutesInTheFuture(2);
        assertion.setJwtId(UUID.randomUUID().toString());
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("client_assertion_type", ClientAssertions.TYPE)
                .formParam("client_assertion", RequestObjectClients.sign(assertion, RequestObjectClients.KEY, null))
                .formParam("grant_type", "authorization_code").formParam("code", signedIn.code())
                .formParam("redirect_uri", RequestObjectClients.REDIRECT).formParam("code_verifier", pkce.verifier())
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    void registerWhenCodeClientHasNoKeysThenInvalidClientMetadata() {
        String admin = adminToken();
        Map<String, Object> keyless = Map.of("grant_types", List.of("authorization_code"),
                "scopes", List.of("openid"), "redirect_uris", List.of(RequestObjectClients.REDIRECT),
                "token_endpoint_auth_methods", List.of("client_secret_basic"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("client_id", "keyless-web-" + suffix, "registration", keyless)).post("/admin/clients")
                .then().statusCode(400).body("error", equalTo("invalid_client_metadata"))
                .body("error_description", containsString("require_signed_request_object"));
        given().auth().oauth2(admin).get("/admin/clients/keyless-web-" + suffix).then().statusCode(404);

        // A client that signs in no one is not concerned.
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("client_id", "keyless-service-" + suffix, "registration", Map.of(
                        "grant_types", List.of("client_credentials"), "scopes", List.of("orders:read"))))
                .post("/admin/clients").then().statusCode(201);
        // Nor a code client with keys.
        Map<String, Object> withKeys = new LinkedHashMap<>(keyless);
        withKeys.put("token_endpoint_auth_methods", List.of("private_key_jwt"));
        withKeys.put("jwks", RequestObjectClients.publicHalf());
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("client_id", "signing-web-" + suffix, "registration", withKeys)).post("/admin/clients")
                .then().statusCode(201);
        // And a change that would leave it without keys is refused as a new client would be.
        given().auth().oauth2(admin).contentType("application/json").body(keyless)
                .put("/admin/clients/signing-web-" + suffix)
                .then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
    }

    @Test
    void discoverySaysSignedRequestObjectsAreRequired() {
        given().get("/.well-known/oauth-authorization-server").then()
                .body("require_signed_request_object", equalTo(true));
        given().get("/.well-known/openid-configuration").then()
                .body("require_signed_request_object", equalTo(true));
    }
}
