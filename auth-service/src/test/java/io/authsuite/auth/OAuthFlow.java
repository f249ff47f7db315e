package io.authsuite.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Drives the browser side of the code flow over HTTP the way a browser would, with redirects not followed. */
public final class OAuthFlow {

    private OAuthFlow() {
    }

    /** A PKCE pair (RFC 7636). */
    public record Pkce(String verifier, String challenge) {
        public static Pkce create() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            return new Pkce(verifier, challenge(verifier));
        }

        public static String challenge(String verifier) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Result of signing in: the code and the login session cookie. */
    public record SignedIn(String code, String session, Map<String, String> redirectParams) {
    }

    public static Map<String, String> authorizeParams(String clientId, String redirectUri, String scope, Pkce pkce,
                                                      String state, String nonce) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri);
        if (scope != null) {
            p.put("scope", scope);
        }
        p.put("code_challenge", pkce.challenge());
        p.put("code_challenge_method", "S256");
        if (state != null) {
            p.put("state", state);
        }
        if (nonce != null) {
            p.put("nonce", nonce);
        }
        return p;
    }

    /** GET /oauth2/authorize without following the redirect. */
    public static Response authorize(Map<String, String> params, String sessionCookie) {
        var spec = given().redirects().follow(false).queryParams(params);
        if (sessionCookie != null) {
            spec.cookie("__Host-authsuite_session", sessionCookie);
        }
        return spec.get("/oauth2/authorize");
    }

    /** Opens the login page of a pending request and submits the form. */
    public static Response submitLogin(String loginLocation, String username, String password) {
        return submitLogin(loginLocation, username, password, Map.of());
    }

    /** As {@link #submitLogin(String, String, String)}, from a browser that also holds {@code cookies}. */
    public static Response submitLogin(String loginLocation, String username, String password,
                                       Map<String, String> cookies) {
        Response page = given().redirects().follow(false).get(loginLocation);
        assertEquals(200, page.statusCode(), page.asString());
        String csrf = page.getCookie("__Host-authsuite_csrf");
        assertNotNull(csrf);
        String requestId = query(loginLocation).get("request");
        return given().redirects().follow(false)
                .cookies(cookies)
                .cookie("__Host-authsuite_csrf", csrf)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("request", requestId)
                .formParam("username", username)
                .formParam("password", password)
                .formParam("csrf", csrf)
                .post("/login");
    }

    /** Where the authorization endpoint sends a browser without a session: the sign-in page of a fresh request. */
    public static String loginLocation() {
        return path(authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), "s",
                null), null).getHeader("Location"));
    }

    /** A sign-in form post for {@code loginUri}, with its own fresh request and CSRF pair, for sending in parallel. */
    public static java.net.http.HttpRequest loginPost(java.net.URI loginUri, String username, String password) {
        String location = loginLocation();
        String csrf = given().redirects().follow(false).get(location).getCookie("__Host-authsuite_csrf");
        String form = "request=" + query(location).get("request") + "&username=" + username + "&password=" + password
                + "&csrf=" + csrf;
        return java.net.http.HttpRequest.newBuilder(loginUri).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "__Host-authsuite_csrf=" + csrf)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build();
    }

    /** The whole browser part for a first-party client: authorize, sign in, and read the code off the redirect. */
    public static SignedIn signIn(Map<String, String> params, String username, String password) {
        Response authorize = authorize(params, null);
        assertEquals(303, authorize.statusCode(), authorize.asString());
        Response login = submitLogin(path(authorize.getHeader("Location")), username, password);
        assertEquals(303, login.statusCode(), login.asString());
        Map<String, String> redirect = query(login.getHeader("Location"));
        return new SignedIn(redirect.get("code"), login.getCookie("__Host-authsuite_session"), redirect);
    }

    /** An access token of a person signed in through the first-party SPA client with {@code scope}. */
    public static String userToken(String username, String scope) {
        Pkce pkce = Pkce.create();
        SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce, null, null),
                username, TestClients.password(username));
        return exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
    }

    public static Response exchange(String clientId, String code, String redirectUri, String verifier) {
        var spec = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code")
                .formParam("client_id", clientId)
                .formParam("code", code)
                .formParam("redirect_uri", redirectUri);
        if (verifier != null) {
            spec.formParam("code_verifier", verifier);
        }
        return spec.post("/oauth2/token");
    }

    public static Response refresh(String clientId, String refreshToken, String scope) {
        var spec = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token")
                .formParam("client_id", clientId)
                .formParam("refresh_token", refreshToken);
        if (scope != null) {
            spec.formParam("scope", scope);
        }
        return spec.post("/oauth2/token");
    }

    /** The decoded payload of a JWT, unverified: for tests that only look at what a token says. */
    public static String claims(String jwt) {
        return new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String path(String location) {
        URI uri = URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    public static Map<String, String> query(String location) {
        Map<String, String> params = new HashMap<>();
        String raw = URI.create(location).getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
