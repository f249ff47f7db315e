package io.authsuite.auth.users;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsersResourceTest {

    private static String token(String user, String scope) {
        return OAuthFlow.userToken(user, scope);
    }

    @Test
    void adminCreatesUpdatesDisablesAndDeletesUser() {
        String admin = token(TestClients.ADMIN, "openid users:manage");
        String name = "new-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"email\":\"n@example.test\",\"name\":\"New\",\"roles\":[\"user\"]}")
                .post("/admin/users").then().statusCode(201)
                .body("username", equalTo(name))
                .body("$", not(hasKey("password")))
                .extract().path("subject");
        given().auth().oauth2(admin).get("/admin/users/" + subject).then().statusCode(200).body("email", equalTo("n@example.test"));
        given().auth().oauth2(admin).contentType("application/json").body("{\"disabled\":true}")
                .patch("/admin/users/" + subject).then().statusCode(200).body("disabled", equalTo(true));
        given().auth().oauth2(admin).delete("/admin/users/" + subject).then().statusCode(204);
        given().auth().oauth2(admin).get("/admin/users/" + subject).then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void adminWhenDisablingDemotingOrDeletingThemselvesThenConflictAndStillAdmin() {
        String admin = token(TestClients.ADMIN, "openid users:manage");
        String self = new io.restassured.path.json.JsonPath(OAuthFlow.claims(admin)).getString("sub");
        for (String change : new String[] {"{\"disabled\":true}", "{\"roles\":[\"user\"]}", "{\"roles\":[]}"}) {
            given().auth().oauth2(admin).contentType("application/json").body(change)
                    .patch("/admin/users/" + self).then().statusCode(409).body("error", equalTo("conflict"));
        }
        given().auth().oauth2(admin).delete("/admin/users/" + self).then().statusCode(409);
        given().auth().oauth2(admin).get("/admin/users/" + self).then().statusCode(200)
                .body("disabled", equalTo(false)).body("roles", org.hamcrest.Matchers.hasItem("admin"));
        // Their own name or e-mail, as anyone's.
        given().auth().oauth2(admin).contentType("application/json").body("{\"name\":\"Admin\"}")
                .patch("/admin/users/" + self).then().statusCode(200);
    }

    @Test
    void rolesChangedThenAccessTokensWithOldRolesRefusedAndRefreshCarriesNewRoles() {
        String admin = token(TestClients.ADMIN, "openid users:manage");
        String name = "roles-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"roles\":[\"user\"]}")
                .post("/admin/users").then().statusCode(201).extract().path("subject");
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn s = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", pkce, null,
                null), name, "long-enough-pw");
        io.restassured.path.json.JsonPath tokens = exchange(TestClients.SPA, s.code(), TestClients.SPA_REDIRECT,
                pkce.verifier()).then().statusCode(200).extract().jsonPath();
        String before = tokens.getString("access_token");
        given().auth().oauth2(before).get("/oauth2/userinfo").then().statusCode(200);

        given().auth().oauth2(admin).contentType("application/json").body("{\"roles\":[\"user\",\"admin\"]}")
                .patch("/admin/users/" + subject).then().statusCode(200);

        given().auth().oauth2(before).get("/oauth2/userinfo").then().statusCode(401);
        String after = OAuthFlow.refresh(TestClients.SPA, tokens.getString("refresh_token"), null)
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(after).get("/oauth2/userinfo").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertTrue(OAuthFlow.claims(after).contains("\"admin\""), OAuthFlow.claims(after));
    }

    @Test
    void createWhenUsernameTakenOrInputInvalidThenClearError() {
        String admin = token(TestClients.ADMIN, "openid users:manage");
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"" + TestClients.USER + "\",\"password\":\"long-enough-pw\"}")
                .post("/admin/users").then().statusCode(409);
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"x y\",\"password\":\"long-enough-pw\"}")
                .post("/admin/users").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"shortpw\",\"password\":\"short\"}")
                .post("/admin/users").then().statusCode(400);
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"r\",\"password\":\"long-enough-pw\",\"roles\":[\"root\"]}")
                .post("/admin/users").then().statusCode(400);
        given().auth().oauth2(admin).contentType("application/json").body("{not json")
                .post("/admin/users").then().statusCode(400).body("error", equalTo("invalid_request"));
        // A name or email that reads otherwise than it is stored: a right-to-left override, a NUL, a zero width.
        for (String body : java.util.List.of(
                "{\"username\":\"bidi-name\",\"password\":\"long-enough-pw\",\"name\":\"Ad\\u202emin\"}",
                "{\"username\":\"zw-name\",\"password\":\"long-enough-pw\",\"name\":\"Ad\\u200bmin\"}",
                "{\"username\":\"nul-mail\",\"password\":\"long-enough-pw\",\"email\":\"a\\u0000@b.example\"}")) {
            given().auth().oauth2(admin).contentType("application/json").body(body)
                    .post("/admin/users").then().statusCode(400).body("error", equalTo("invalid_request"));
        }
    }

    @Test
    void nonAdminThenForbidden() {
        String user = token(TestClients.USER, "openid users:manage");
        given().auth().oauth2(user).get("/admin/users").then().statusCode(403).body("error", equalTo("insufficient_scope"));
    }

    @Test
    void adminTokenWithoutManageScopeThenInsufficientScope() {
        given().auth().oauth2(token(TestClients.ADMIN, "openid")).get("/admin/users").then().statusCode(403);
    }

    @Test
    void withoutTokenThenUnauthorized() {
        given().get("/admin/users").then().statusCode(401);
    }
}
