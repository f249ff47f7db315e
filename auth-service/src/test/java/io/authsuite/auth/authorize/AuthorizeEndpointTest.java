package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.query;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthorizeEndpointTest {

    private static Map<String, String> valid() {
        return authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read", Pkce.create(), "st-1", "n-1");
    }

    private static Map<String, String> redirectedError(Map<String, String> params) {
        Response r = authorize(params, null);
        assertEquals(303, r.statusCode(), r.asString());
        String location = r.getHeader("Location");
        org.junit.jupiter.api.Assertions.assertTrue(location.startsWith(TestClients.SPA_REDIRECT + "?"), location);
        return query(location);
    }

    @Test
    void authorizeWithoutSessionThenRedirectToLogin() {
        authorize(valid(), null).then().statusCode(303).header("Location", containsString("/login?request="));
    }

    @Test
    void authorizeWhenClientUnknownThenErrorPageNotRedirect() {
        Map<String, String> p = valid();
        p.put("client_id", "nobody");
        authorize(p, null).then().statusCode(400).header("Location", nullValue())
                .contentType(containsString("text/html")).body(containsString("unknown client"));
    }

    @Test
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageNotRedirect() {
        for (String bad : new String[] {"https://evil.example/cb", TestClients.SPA_REDIRECT + "/extra",
                TestClients.SPA_REDIRECT + "?x=1", "http://localhost:9999/callback"}) {
            Map<String, String> p = valid();
            p.put("redirect_uri", bad);
            authorize(p, null).then().statusCode(400).header("Location", nullValue())
                    .body(containsString("redirect_uri"));
        }
        Map<String, String> p = valid();
        p.remove("redirect_uri");
        authorize(p, null).then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void authorizeWhenNativeAppLoopbackRedirectOnOtherPortThenAccepted() {
        Map<String, String> p = authorizeParams(TestClients.NATIVE, "http://127.0.0.1:51234/native", "openid",
                Pkce.create(), "st-1", null);
        authorize(p, null).then().statusCode(303).header("Location", containsString("/login?request="));
    }

    @Test
    void authorizeWhenWebClientLoopbackRedirectOnOtherPortThenRefusedWithoutRedirect() {
        Map<String, String> p = valid();
        // test-spa registers http://127.0.0.1:9999/callback: a web client, so RFC 8252 §7.3 does not apply.
        p.put("redirect_uri", "http://127.0.0.1:51234/callback");
        authorize(p, null).then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void authorizeWhenResponseTypeTokenThenUnsupportedResponseType() {
        Map<String, String> p = valid();
        p.put("response_type", "token");
        Map<String, String> error = redirectedError(p);
        assertEquals("unsupported_response_type", error.get("error"));
        assertEquals("st-1", error.get("state"));
        assertEquals("https://auth.test", error.get("iss"));
        p.put("response_type", "code id_token");
        assertEquals("unsupported_response_type", redirectedError(p).get("error"));
    }

    @Test
    void authorizeWithoutPkceThenInvalidRequest() {
        Map<String, String> p = valid();
        p.remove("code_challenge");
        p.remove("code_challenge_method");
        assertEquals("invalid_request", redirectedError(p).get("error"));
    }

    @Test
    void authorizeWithPlainPkceThenInvalidRequest() {
        Map<String, String> p = valid();
        p.put("code_challenge_method", "plain");
        assertEquals("invalid_request", redirectedError(p).get("error"));
        p.remove("code_challenge_method");
        assertEquals("invalid_request", redirectedError(p).get("error"));
        p.put("code_challenge_method", "S256");
        p.put("code_challenge", "short");
        assertEquals("invalid_request", redirectedError(p).get("error"));
    }

    @Test
    void authorizeWhenScopeNotAllowedThenInvalidScope() {
        Map<String, String> p = valid();
        p.put("scope", "openid inventory:reserve");
        assertEquals("invalid_scope", redirectedError(p).get("error"));
    }

    @Test
    void authorizeWhenClientMayNotUseCodeThenUnauthorizedClient() {
        Map<String, String> p = authorizeParams(TestClients.SERVICE, "https://nowhere.example/cb", null, Pkce.create(), null, null);
        // test-service has no redirect URI: the error cannot be redirected, so it is a page.
        authorize(p, null).then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void authorizeWhenParameterRepeatedThenErrorPage() {
        given().redirects().follow(false)
                .get("/oauth2/authorize?response_type=code&client_id=" + TestClients.SPA + "&client_id=other")
                .then().statusCode(400).body(containsString("repeated"));
    }

    @Test
    void authorizeWithPromptNoneAndNoSessionThenLoginRequired() {
        Map<String, String> p = valid();
        p.put("prompt", "none");
        assertEquals("login_required", redirectedError(p).get("error"));
    }

    @Test
    void pagesForbidFraming() {
        authorize(valid(), null);
        given().get("/oauth2/authorize?client_id=nobody")
                .then().header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }

    @Test
    void authorizationServerNeverIssuesTokensInTheRedirect() {
        Map<String, String> p = valid();
        p.put("response_type", "token");
        Response r = authorize(p, null);
        org.hamcrest.MatcherAssert.assertThat(r.getHeader("Location"), startsWith(TestClients.SPA_REDIRECT));
        org.junit.jupiter.api.Assertions.assertFalse(r.getHeader("Location").contains("access_token"));
    }
}
