package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BrowserModeTest {

    private static final String ORIGIN = "http://127.0.0.1:9999";
    private static final String COOKIE = "__Host-authsuite_rt";

    private static RequestSpecification browser() {
        return given().contentType("application/x-www-form-urlencoded")
                .header("Origin", ORIGIN).header("X-Requested-With", "test");
    }

    private static Response signInWithCookie() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn s = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read",
                pkce, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        return browser().formParam("grant_type", "authorization_code").formParam("client_id", TestClients.SPA)
                .formParam("code", s.code()).formParam("redirect_uri", TestClients.SPA_REDIRECT)
                .formParam("code_verifier", pkce.verifier()).formParam("refresh_token_delivery", "cookie")
                .post("/oauth2/token");
    }

    private static String setCookie(Response r) {
        return r.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "="))
                .findFirst().orElseThrow();
    }

    @Test
    void codeExchangeInBrowserModeThenRefreshTokenOnlyInHostCookie() {
        Response r = signInWithCookie();
        r.then().statusCode(200).body("access_token", notNullValue()).body("refresh_token", nullValue());
        String cookie = setCookie(r);
        assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict")
                && cookie.contains("Path=/") && !cookie.contains("Domain"), cookie);
    }

    @Test
    void refreshWithCookieFromAllowedOriginThenRotatedCookie() {
        String first = signInWithCookie().getCookie(COOKIE);
        Response refreshed = browser().cookie(COOKIE, first).formParam("grant_type", "refresh_token")
                .formParam("client_id", TestClients.SPA).post("/oauth2/token");
        refreshed.then().statusCode(200).body("refresh_token", nullValue()).body("access_token", notNullValue());
        String second = refreshed.getCookie(COOKIE);
        assertNotEquals(first, second);
        // The spent cookie value is a reused refresh token: the family is revoked.
        browser().cookie(COOKIE, first).formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshWithCookieFromForeignOriginOrWithoutHeaderThenInvalidRequest() {
        String cookie = signInWithCookie().getCookie(COOKIE);
        given().contentType("application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .header("X-Requested-With", "x").cookie(COOKIE, cookie)
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").header("Origin", ORIGIN).cookie(COOKIE, cookie)
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        // Neither attempt consumed the token.
        browser().cookie(COOKIE, cookie).formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void browserModeForClientWithoutAllowedOriginsThenUnauthorizedClient() {
        TokenRequests.asClient(TestClients.SERVICE).header("Origin", ORIGIN).header("X-Requested-With", "x")
                .formParam("grant_type", "client_credentials").formParam("refresh_token_delivery", "cookie")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void logoutThenCookieClearedAndItsFamilyRevoked() {
        String cookie = signInWithCookie().getCookie(COOKIE);
        Response logout = given().redirects().follow(false).cookie(COOKIE, cookie).get("/oauth2/logout");
        assertTrue(setCookie(logout).contains("Max-Age=0"), setCookie(logout));
        browser().cookie(COOKIE, cookie).formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
