package io.authsuite.auth.users;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * RFC 9470 at the admin API: a change that hands over or takes away access needs a recent sign-in, not just a valid
 * token. The allowed age is eight seconds here so that a token can outgrow it during the test.
 */
@QuarkusTest
@TestProfile(AdminStepUpTest.ShortStepUp.class)
class AdminStepUpTest {

    public static class ShortStepUp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.admin.step-up-max-age", "PT8S");
        }
    }

    /**
     * Both faces of the admin API in one test, so that the tests wait out the step-up age once: a bearer token's
     * change (RFC 9470 §3: 401 {@code insufficient_user_authentication} with {@code max_age}) and a console action
     * (sent back to the sign-in form), each refused with nothing changed once the sign-in is older than allowed.
     */
    @Test
    void adminChangeOrConsoleActionWhenSignInOlderThanStepUpMaxAgeThenRefusedAndNothingChanged() throws Exception {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid users:manage", pkce, null, null), TestClients.ADMIN, TestClients.password(TestClients.ADMIN));
        JsonPath tokens = exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().jsonPath();
        String admin = tokens.getString("access_token");
        assertTrue(OAuthFlow.claims(admin).contains("\"auth_time\":"), "RFC 9068 §2.2.1: the sign-in's time");
        String subject = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"stepup-" + UUID.randomUUID().toString().substring(0, 8)
                        + "\",\"password\":\"long-enough-pw\",\"roles\":[\"user\"]}")
                .post("/admin/users").then().statusCode(201).extract().path("subject");
        String session = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                null, null), TestClients.ADMIN, TestClients.password(TestClients.ADMIN)).session();

        Thread.sleep(10_000);
        apiChangeIsRefused(admin, tokens.getString("refresh_token"), subject);
        consoleActionIsRefused(session);
    }

    private static void apiChangeIsRefused(String admin, String refreshToken, String subject) {
        given().auth().oauth2(admin).contentType("application/json").body("{\"roles\":[\"admin\"]}")
                .patch("/admin/users/" + subject).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"insufficient_user_authentication\""))
                .header("WWW-Authenticate", containsString("max_age=\"8\""))
                .body("error", equalTo("insufficient_user_authentication"));
        given().auth().oauth2(admin).get("/admin/users/" + subject).then().statusCode(200)
                .body("roles", not(hasItem("admin")));

        // A refresh is no sign-in: its access token keeps the sign-in's auth_time.
        assertNotNull(refreshToken);
        String refreshed = OAuthFlow.refresh(TestClients.SPA, refreshToken, null).then().statusCode(200)
                .extract().path("access_token");
        given().auth().oauth2(refreshed).delete("/admin/users/" + subject).then().statusCode(401)
                .body("error", equalTo("insufficient_user_authentication"));

        String signedInAgain = OAuthFlow.userToken(TestClients.ADMIN, "openid users:manage");
        given().auth().oauth2(signedInAgain).delete("/admin/users/" + subject).then().statusCode(204);
    }

    private static void consoleActionIsRefused(String session) {
        String name = "late-" + UUID.randomUUID().toString().substring(0, 8);
        io.restassured.response.Response posted = given().redirects().follow(false)
                .cookie("__Host-authsuite_session", session).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("username", name, "password", "made-password-1", "email", name + "@example.test",
                        "name", "Late", "role", "user"))
                .formParam("csrf", io.authsuite.auth.authorize.Csrf.forSession(session))
                .post("/admin/console/users");
        org.junit.jupiter.api.Assertions.assertEquals(303, posted.statusCode(), posted.asString());
        assertTrue(posted.getHeader("Location").endsWith("/login?next=%2Fadmin%2F"), posted.getHeader("Location"));
        String reader = OAuthFlow.userToken(TestClients.ADMIN, "openid users:manage");
        given().auth().oauth2(reader).get("/admin/users").then().statusCode(200)
                .body("username", not(hasItem(name)));
        given().redirects().follow(false).cookie("__Host-authsuite_session", session).get("/admin/")
                .then().statusCode(200);
    }
}
