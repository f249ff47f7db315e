package io.authsuite.auth.cors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.token.TokenRequestsAccess;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** CORS for a single-page app on another origin: which endpoints answer it, and which origins. */
@QuarkusTest
class CrossOriginRequestsTest {

    /** The origin {@link TestClients#SPA} registers in allowed_origins. */
    private static final String APP = "http://127.0.0.1:9999";
    private static final String STRANGER = "https://stranger.example";

    @Test
    void discoveryAndJwksWhenAnyOriginThenReadable() {
        for (String path : new String[] {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
                "/oauth2/jwks"}) {
            given().header("Origin", STRANGER).get(path).then().statusCode(200)
                    .header("Access-Control-Allow-Origin", "*")
                    .header("Access-Control-Allow-Credentials", nullValue());
        }
    }

    @Test
    void userinfoPreflightThenBearerAndDpopHeadersAllowedWithoutCredentials() {
        given().header("Origin", STRANGER).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/oauth2/userinfo").then().statusCode(204)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Headers", containsString("DPoP"))
                .header("Access-Control-Allow-Methods", containsString("GET"))
                .header("Access-Control-Allow-Credentials", nullValue());
        // OIDC Core §5.3: the script reads the 401 and its challenge too.
        given().header("Origin", STRANGER).get("/oauth2/userinfo").then().statusCode(401)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Expose-Headers", containsString("WWW-Authenticate"));
    }

    @Test
    void tokenWhenOriginRegisteredByAClientThenThatOriginWithCredentials() {
        given().header("Origin", APP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, dpop, x-requested-with")
                .options("/oauth2/token").then().statusCode(204)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Headers", containsString("X-Requested-With"))
                .header("Vary", containsString("Origin"));
        String refreshToken = TokenRequestsAccess.firstRefreshToken();
        given().header("Origin", APP).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .formParam("refresh_token", refreshToken)
                .post("/oauth2/token").then().statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Expose-Headers", containsString("DPoP-Nonce"))
                .body("access_token", notNullValue());
        given().header("Origin", APP).header("Access-Control-Request-Method", "POST")
                .options("/oauth2/revoke").then().statusCode(204).header("Access-Control-Allow-Origin", APP);
    }

    @Test
    void tokenWhenOriginRegisteredByNoClientThenNoCorsHeadersAndTheRequestItselfUnchanged() {
        for (String origin : new String[] {STRANGER, "null", APP + ".evil.example", "http://127.0.0.1:9998"}) {
            given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                    .options("/oauth2/token").then()
                    .header("Access-Control-Allow-Origin", nullValue())
                    .header("Access-Control-Allow-Credentials", nullValue());
        }
        // The browser withholds the answer; the server still answers as it would without CORS.
        OAuthFlow.refresh(TestClients.SPA, "B".repeat(43), null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        given().header("Origin", STRANGER).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .formParam("refresh_token", "B".repeat(43))
                .post("/oauth2/token").then().statusCode(400).header("Access-Control-Allow-Origin", nullValue())
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void pagesAndAdminApiWhenCrossOriginThenNoCorsHeaders() {
        for (String path : new String[] {"/login", "/admin/clients", "/oauth2/introspect", "/oauth2/authorize"}) {
            given().redirects().follow(false).header("Origin", APP).get(path).then()
                    .header("Access-Control-Allow-Origin", nullValue());
            given().header("Origin", APP).header("Access-Control-Request-Method", "POST")
                    .options(path).then().header("Access-Control-Allow-Origin", nullValue());
        }
    }
}
