package io.authsuite.auth.users;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.refresh;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AccountResourceTest {

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Test
    void logoutEverywhereThenEverySessionFamilyAndAccessTokenEnds() throws Exception {
        String name = "everywhere-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("pass-phrase"), name + "@example.test", name, Set.of("user"));
        Pkce a = Pkce.create();
        OAuthFlow.SignedIn first = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", a, null, null),
                name, "pass-phrase");
        JsonPath one = exchange(TestClients.SPA, first.code(), TestClients.SPA_REDIRECT, a.verifier()).then().statusCode(200)
                .extract().jsonPath();
        Pkce b = Pkce.create();
        OAuthFlow.SignedIn second = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", b, null, null),
                name, "pass-phrase");
        JsonPath two = exchange(TestClients.SPA, second.code(), TestClients.SPA_REDIRECT, b.verifier()).then().statusCode(200)
                .extract().jsonPath();
        Thread.sleep(1100);

        given().auth().oauth2(one.getString("access_token")).post("/account/logout-everywhere").then().statusCode(204);

        given().auth().oauth2(two.getString("access_token")).get("/oauth2/userinfo").then().statusCode(401);
        refresh(TestClients.SPA, one.getString("refresh_token"), null).then().statusCode(400);
        refresh(TestClients.SPA, two.getString("refresh_token"), null).then().statusCode(400);
        OAuthFlow.authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null),
                second.session()).then().statusCode(303).header("Location", containsString("/login"));
    }

    @Inject
    io.authsuite.auth.authorize.Consents consents;

    @Inject
    io.authsuite.auth.clients.ClientRegistry clients;

    @Test
    void logoutEverywhereWhenTokenOfThirdPartyClientThenForbiddenAndNothingEnds() throws Exception {
        String name = "third-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("pass-phrase"), name + "@example.test", name, Set.of("user"));
        consents.grant(users.byUsername(name).orElseThrow().subject(),
                clients.find(TestClients.THIRD).orElseThrow(), Set.of("openid", "email"));
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.THIRD, TestClients.THIRD_REDIRECT,
                "openid email", pkce, null, null), name, "pass-phrase");
        // RFC 6749 §2.3.1: the credentials form-encoded before Basic (the generated secret may hold '+' or '/').
        String third = given().header("Authorization", io.authsuite.auth.token.TokenRequests.basic(TestClients.THIRD,
                        TestClients.secret(TestClients.THIRD)))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", signedIn.code()).formParam("redirect_uri", TestClients.THIRD_REDIRECT)
                .formParam("code_verifier", pkce.verifier()).post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
        Pkce a = Pkce.create();
        OAuthFlow.SignedIn own = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", a, null,
                null), name, "pass-phrase");
        String ownToken = exchange(TestClients.SPA, own.code(), TestClients.SPA_REDIRECT, a.verifier()).then()
                .statusCode(200).extract().path("access_token");

        given().auth().oauth2(third).post("/account/logout-everywhere").then().statusCode(403)
                .header("WWW-Authenticate", containsString("insufficient_scope"))
                .body("error", org.hamcrest.Matchers.equalTo("insufficient_scope"));
        given().auth().oauth2(ownToken).get("/oauth2/userinfo").then().statusCode(200);
    }

    @Test
    void userWithoutEmailOrNameWhenSignedInThenNeitherClaimSentEmpty() {
        String name = "bare-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("pass-phrase"), "", "", Set.of("user"));
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid profile email", pkce, null, null), name, "pass-phrase");
        JsonPath tokens = exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier()).then()
                .statusCode(200).extract().jsonPath();
        // OIDC Core §5.3.2: absent, not "".
        JsonPath idToken = new JsonPath(OAuthFlow.claims(tokens.getString("id_token")));
        org.junit.jupiter.api.Assertions.assertEquals(name, idToken.getString("preferred_username"));
        org.junit.jupiter.api.Assertions.assertFalse(idToken.getMap("").containsKey("email"));
        org.junit.jupiter.api.Assertions.assertFalse(idToken.getMap("").containsKey("name"));
        given().auth().oauth2(tokens.getString("access_token")).get("/oauth2/userinfo").then().statusCode(200)
                .body("preferred_username", org.hamcrest.Matchers.equalTo(name))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("email")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("name")));
    }
}
