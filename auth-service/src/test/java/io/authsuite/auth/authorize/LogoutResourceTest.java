package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.refresh;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LogoutResourceTest {

    record Session(String cookie, String idToken, String refreshToken, String accessToken) {
    }

    static Session signedIn() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn s = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read", pkce,
                null, null), TestClients.USER, TestClients.password(TestClients.USER));
        JsonPath tokens = exchange(TestClients.SPA, s.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().jsonPath();
        return new Session(s.session(), tokens.getString("id_token"), tokens.getString("refresh_token"),
                tokens.getString("access_token"));
    }

    @Test
    void logoutWithIdTokenHintThenSessionEndedFamilyRevokedAndRedirected() {
        Session s = signedIn();
        java.util.List<String> cookies = given().redirects().follow(false).cookie("__Host-authsuite_session", s.cookie())
                .queryParam("id_token_hint", s.idToken())
                .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9999/bye")
                .queryParam("state", "z")
                .get("/oauth2/logout")
                .then().statusCode(303)
                .header("Location", equalTo("http://127.0.0.1:9999/bye?state=z"))
                .extract().headers().getValues("Set-Cookie");
        org.junit.jupiter.api.Assertions.assertTrue(cookies.stream().anyMatch(c -> c.startsWith("__Host-authsuite_session=;")), cookies.toString());
        refresh(TestClients.SPA, s.refreshToken(), null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null), s.cookie())
                .then().statusCode(303).header("Location", containsString("/login"));
    }

    @Test
    void logoutWithUnregisteredRedirectThenNoRedirect() {
        Session s = signedIn();
        given().redirects().follow(false).cookie("__Host-authsuite_session", s.cookie())
                .queryParam("id_token_hint", s.idToken())
                .queryParam("post_logout_redirect_uri", "https://evil.example/")
                .get("/oauth2/logout")
                .then().statusCode(200).body(containsString("signed out"));
    }

    @Test
    void logoutPostWhenTargetPassesPrefixButIsNoUriThenSignedOutWithoutRedirect() {
        for (String target : new String[] {"http://127.0.0.1:9999/bye?state=a b", "http://127.0.0.1:9999/bye?state=%zz"}) {
            Session s = signedIn();
            given().redirects().follow(false).cookie("__Host-authsuite_session", s.cookie())
                    .cookie("__Host-authsuite_csrf", "c").contentType("application/x-www-form-urlencoded")
                    .formParam("csrf", "c").formParam("target", target)
                    .post("/oauth2/logout")
                    .then().statusCode(200).header("Location", nullValue()).body(containsString("signed out"));
            // Refused as a redirect only: the sign-out itself happened.
            refresh(TestClients.SPA, s.refreshToken(), null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        }
    }

    @Test
    void logoutWithoutHintThenConfirmationAndSessionKept() {
        Session s = signedIn();
        given().redirects().follow(false).cookie("__Host-authsuite_session", s.cookie()).get("/oauth2/logout")
                .then().statusCode(200).body(containsString("Sign out?"));
        refresh(TestClients.SPA, s.refreshToken(), null).then().statusCode(200);
    }

    @Test
    void codeWhenItsSessionLoggedOutBeforeRedemptionThenInvalidGrant() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn s = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read",
                pkce, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        given().redirects().follow(false).cookie("__Host-authsuite_session", s.session())
                .cookie("__Host-authsuite_csrf", "c").contentType("application/x-www-form-urlencoded")
                .formParam("csrf", "c").post("/oauth2/logout")
                .then().statusCode(200).body(containsString("signed out"));

        exchange(TestClients.SPA, s.code(), TestClients.SPA_REDIRECT, pkce.verifier()).then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("access_token", nullValue());
    }

    @Test
    void logoutByPostWithHintThenTheSameRequestAsGetAndSignedOut() {
        Session s = signedIn();
        // A client's form post, cross-site: the browser sends no SameSite=Lax session cookie with it.
        String location = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("id_token_hint", s.idToken())
                .formParam("post_logout_redirect_uri", "http://127.0.0.1:9999/bye")
                .formParam("state", "a b&c")
                .post("/oauth2/logout")
                .then().statusCode(303).header("Cache-Control", "no-store")
                .extract().header("Location");
        java.net.URI get = java.net.URI.create(location);
        org.junit.jupiter.api.Assertions.assertEquals("/oauth2/logout", get.getPath());
        given().redirects().follow(false).urlEncodingEnabled(false).cookie("__Host-authsuite_session", s.cookie())
                .get(get.getRawPath() + "?" + get.getRawQuery())
                .then().statusCode(303)
                .header("Location", equalTo("http://127.0.0.1:9999/bye?state=a+b%26c"));
        refresh(TestClients.SPA, s.refreshToken(), null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
