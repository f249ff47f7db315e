package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.path;
import static io.authsuite.auth.OAuthFlow.query;
import static io.authsuite.auth.OAuthFlow.submitLogin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthorizeEndpointTest {

    /** POST /oauth2/authorize with the parameters form-encoded in the body, as OIDC Core §3.1.2.1 allows. */
    static Response post(Map<String, String> params, String sessionCookie) {
        return postRaw("application/x-www-form-urlencoded", form(params), sessionCookie);
    }

    static Response postRaw(String contentType, String body, String sessionCookie) {
        var spec = given().redirects().follow(false).body(body);
        if (contentType != null) {
            spec.contentType(contentType);
        }
        if (sessionCookie != null) {
            spec.cookie("__Host-authsuite_session", sessionCookie);
        }
        return spec.post("/oauth2/authorize");
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** A refusal shown on the error page: never a redirect, never a 5xx. */
    static void assertErrorPage(Response r, int status, String text) {
        assertEquals(status, r.statusCode(), r.asString());
        assertNull(r.getHeader("Location"));
        org.hamcrest.MatcherAssert.assertThat(r.getContentType(), containsString("text/html"));
        org.hamcrest.MatcherAssert.assertThat(r.asString(), containsString(text));
    }

    static Map<String, String> valid() {
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
    void authorizeWhenStateTooLongThenErrorPageNotRedirectWithoutState() {
        Map<String, String> p = valid();
        p.put("state", "s".repeat(2049));
        authorize(p, null).then().statusCode(400).header("Location", nullValue())
                .body(containsString("state is too long"));
        p.put("state", "s".repeat(2048));
        authorize(p, null).then().statusCode(303).header("Location", containsString("/login?request="));
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
    void authorizeWhenResponseModeIsNotQueryThenErrorPageAndNothingRedirected() {
        for (String mode : List.of("form_post", "fragment", "jwt", "query.jwt", "")) {
            Map<String, String> p = valid();
            p.put("response_mode", mode);
            if (mode.isEmpty()) {
                // An empty parameter is an omitted one (RFC 6749 §3.1): the default, query.
                authorize(p, null).then().statusCode(303).header("Location", containsString("/login?request="));
            } else {
                assertErrorPage(authorize(p, null), 400, "response_mode");
            }
        }
        Map<String, String> p = valid();
        p.put("response_mode", "query");
        authorize(p, null).then().statusCode(303).header("Location", containsString("/login?request="));
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

    // ---- POST (OIDC Core §3.1.2.1) ----

    @Test
    void authorizeWhenPostedAsFormThenRedirectsToLogin() {
        Pkce pkce = Pkce.create();
        Map<String, String> p = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", pkce, "st-post", "n-1");
        Response r = post(p, null);
        assertEquals(303, r.statusCode(), r.asString());
        String login = path(r.getHeader("Location"));
        assertTrue(login.startsWith("/login?request="), login);
        assertEquals("no-store", r.getHeader("Cache-Control"));
        // The rest of the flow is the GET one: sign in, code at the redirect URI with state and iss, redeemable.
        Response signedIn = submitLogin(login, TestClients.USER, TestClients.password(TestClients.USER));
        assertEquals(303, signedIn.statusCode(), signedIn.asString());
        Map<String, String> back = query(signedIn.getHeader("Location"));
        assertEquals("st-post", back.get("state"));
        assertEquals("https://auth.test", back.get("iss"));
        OAuthFlow.exchange(TestClients.SPA, back.get("code"), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200);
    }

    @Test
    void authorizeWhenPostedCrossSiteWithoutCsrfTokenOrSessionCookieThenLoginNotForbidden() {
        // A client's page posts this form from its own origin; under SameSite=Lax the browser leaves the session
        // cookie out of that cross-site POST, so the person is asked to sign in: no CSRF refusal, no error.
        Response r = given().redirects().follow(false).header("Origin", "https://third.example")
                .contentType("application/x-www-form-urlencoded").body(form(valid())).post("/oauth2/authorize");
        assertEquals(303, r.statusCode(), r.asString());
        assertTrue(path(r.getHeader("Location")).startsWith("/login?request="));
        Map<String, String> p = valid();
        p.put("prompt", "none");
        assertEquals("login_required", query(post(p, null).getHeader("Location")).get("error"));
    }

    @Test
    void authorizeWhenPostedWithInvalidParametersThenSameErrorsAsGet() {
        Map<String, String> p = valid();
        p.put("code_challenge_method", "plain");
        Response byGet = authorize(p, null);
        Response byPost = post(p, null);
        assertEquals(303, byPost.statusCode(), byPost.asString());
        assertEquals(query(byGet.getHeader("Location")).keySet(), query(byPost.getHeader("Location")).keySet());
        assertEquals("invalid_request", query(byPost.getHeader("Location")).get("error"));
        assertEquals("st-1", query(byPost.getHeader("Location")).get("state"));
        p = valid();
        p.put("response_type", "token");
        assertEquals("unsupported_response_type", query(post(p, null).getHeader("Location")).get("error"));
        p = valid();
        p.put("client_id", "nobody");
        assertErrorPage(post(p, null), 400, "unknown client");
        p = valid();
        p.put("redirect_uri", "https://evil.example/cb");
        assertErrorPage(post(p, null), 400, "redirect_uri");
    }

    @Test
    void authorizeWhenUnrecognizedParameterRepeatedThenIgnored() {
        // RFC 6749 §3.1: the server MUST ignore unrecognized request parameters, repeated ones included.
        postRaw("application/x-www-form-urlencoded", form(valid()) + "&utm_source=a&utm_source=b", null)
                .then().statusCode(303).header("Location", containsString("/login?request="));
    }

    @Test
    void authorizeWhenPostedWithRepeatedParameterThenErrorPage() {
        String body = form(valid()) + "&client_id=other";
        assertErrorPage(postRaw("application/x-www-form-urlencoded", body, null), 400, "repeated");
        String redirect = form(valid()) + "&redirect_uri=" + URLEncoder.encode("https://evil.example/cb", StandardCharsets.UTF_8);
        assertErrorPage(postRaw("application/x-www-form-urlencoded", redirect, null), 400, "repeated");
    }

    @Test
    void authorizeWhenPostedWithParametersAlsoInQueryThenErrorPageNotMerged() {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .body(form(valid())).post("/oauth2/authorize?redirect_uri="
                        + URLEncoder.encode("https://evil.example/cb", StandardCharsets.UTF_8));
        assertErrorPage(r, 400, "form body");
        Map<String, String> rest = valid();
        rest.remove("client_id");
        r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .body(form(rest)).post("/oauth2/authorize?client_id=" + TestClients.SPA);
        assertErrorPage(r, 400, "form body");
    }

    @Test
    void authorizeWhenPostedWithMalformedOrOversizedFormThenErrorPage() {
        assertErrorPage(postRaw("application/x-www-form-urlencoded", "client_id=%zz", null), 400, "form encoding");
        assertErrorPage(postRaw("application/x-www-form-urlencoded", "", null), 400, "client_id is missing");
        String big = form(valid()) + "&pad=" + "a".repeat(70_000);
        assertErrorPage(postRaw("application/x-www-form-urlencoded", big, null), 413, "too large");
    }

    // ---- prompt as a space-delimited list (OIDC Core §3.1.2.1) ----

    @Test
    void authorizeWhenPromptListsNoneWithLoginThenInvalidRequest() {
        for (String prompt : List.of("none login", "login none", "none consent", "select_account none")) {
            Map<String, String> p = valid();
            p.put("prompt", prompt);
            Map<String, String> error = redirectedError(p);
            assertEquals("invalid_request", error.get("error"), prompt);
            assertEquals("st-1", error.get("state"), prompt);
            assertTrue(error.get("error_description").contains("none"), prompt);
            // POST answers alike.
            assertEquals("invalid_request", query(post(p, null).getHeader("Location")).get("error"), prompt);
        }
    }

    @Test
    void authorizeWhenPromptHasUnknownMiscasedOrBadlySeparatedValueThenInvalidRequest() {
        for (String prompt : List.of("create", "Login", "NONE", "login  consent", " login", "login,consent",
                "login\tconsent", "login ")) {
            Map<String, String> p = valid();
            p.put("prompt", prompt);
            assertEquals("invalid_request", redirectedError(p).get("error"), prompt);
        }
    }

}
