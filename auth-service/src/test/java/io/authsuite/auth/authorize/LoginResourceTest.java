package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.path;
import static io.authsuite.auth.OAuthFlow.loginLocation;
import static io.authsuite.auth.OAuthFlow.submitLogin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LoginResourceTest {

    @jakarta.inject.Inject
    io.authsuite.auth.audit.AuditLog audit;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    RedisDataSource redis;

    @TestHTTPResource("/login")
    URI loginUri;

    private String newUser(String password) {
        String name = "u-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash(password), name + "@example.test", name, Set.of("user"));
        return name;
    }

    @Test
    void loginWithRightPasswordThenCodeAndSessionCookie() {
        Response r = submitLogin(loginLocation(), TestClients.USER, TestClients.password(TestClients.USER));
        assertEquals(303, r.statusCode());
        Map<String, String> params = OAuthFlow.query(r.getHeader("Location"));
        assertNotNull(params.get("code"));
        assertEquals("s", params.get("state"));
        assertEquals("https://auth.test", params.get("iss"));
        String setCookie = r.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("__Host-authsuite_session=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(setCookie.contains("Secure"), setCookie);
        // RFC 6265bis §4.1.3.2: a __Host- cookie is Secure, Path=/ and has no Domain, so no subdomain can set it.
        assertTrue(setCookie.contains("Path=/") && !setCookie.toLowerCase(java.util.Locale.ROOT).contains("domain="),
                setCookie);
    }

    @Test
    void loginWhenBrowserHadSessionThenPreviousSessionEnds() {
        Response first = submitLogin(loginLocation(), TestClients.USER, TestClients.password(TestClients.USER));
        String previous = first.getCookie("__Host-authsuite_session");
        assertNotNull(previous);
        // Another sign-in in the same browser (prompt=login, or another person): the form is posted with the old cookie.
        String location = loginLocation();
        Response page = given().redirects().follow(false).get(location);
        String csrf = page.getCookie("__Host-authsuite_csrf");
        Response second = given().redirects().follow(false).cookie("__Host-authsuite_csrf", csrf)
                .cookie("__Host-authsuite_session", previous)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("request", OAuthFlow.query(location).get("request"))
                .formParam("username", TestClients.USER).formParam("password", TestClients.password(TestClients.USER))
                .formParam("csrf", csrf).post("/login");
        assertEquals(303, second.statusCode());
        String current = second.getCookie("__Host-authsuite_session");
        assertTrue(current != null && !current.equals(previous));
        // The old id no longer signs anyone in; the new one does.
        authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), "s", null), previous)
                .then().statusCode(303).header("Location", containsString("/login"));
        authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), "s", null), current)
                .then().statusCode(303).header("Location", containsString("code="));
    }

    @Test
    void loginWithWrongPasswordOrUnknownUserThenSameGenericError() {
        Response wrong = submitLogin(loginLocation(), TestClients.USER, "not-the-password");
        Response unknown = submitLogin(loginLocation(), "no-such-user-" + UUID.randomUUID(), "whatever");
        assertEquals(401, wrong.statusCode());
        assertEquals(401, unknown.statusCode());
        assertTrue(wrong.asString().contains("Invalid username or password."));
        assertTrue(unknown.asString().contains("Invalid username or password."));
    }

    @Test
    void loginPageIsServerRenderedWithCsrfNoFramingAndHttpsOnlyForAnHttpsIssuer() {
        given().get(loginLocation()).then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("X-Frame-Options", "DENY")
                .header("Strict-Transport-Security", "max-age=31536000")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("name=\"csrf\""));
    }

    @Test
    void loginWithoutCsrfTokenThenForbidden() {
        String location = loginLocation();
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("request", OAuthFlow.query(location).get("request"))
                .formParam("username", TestClients.USER)
                .formParam("password", TestClients.password(TestClients.USER))
                .formParam("csrf", "forged")
                .cookie("__Host-authsuite_csrf", "other")
                .post("/login").then().statusCode(403);
    }

    /** A sign-in with the right password and CSRF token, sent with the given Origin header. */
    private static int loginWithOrigin(String location, Response page, String origin) {
        String csrf = page.getCookie("__Host-authsuite_csrf");
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", origin)
                .cookie("__Host-authsuite_csrf", csrf)
                .formParam("request", OAuthFlow.query(location).get("request"))
                .formParam("username", TestClients.USER)
                .formParam("password", TestClients.password(TestClients.USER))
                .formParam("csrf", csrf)
                .post("/login").statusCode();
    }

    @Test
    void loginFromForeignOriginThenForbidden() {
        String location = loginLocation();
        assertEquals(403, loginWithOrigin(location, given().get(location), "https://evil.example"));
    }

    @Test
    void loginFromOpaqueOriginNullThenForbidden() {
        String location = loginLocation();
        Response page = given().get(location);
        assertEquals("same-origin", page.getHeader("Referrer-Policy"), "so that our own forms send a real Origin");
        assertEquals(403, loginWithOrigin(location, page, "null"));
    }

    @Test
    void loginWhenRequestExpiredOrUnknownThenErrorPage() {
        given().get("/login?request=nonsense").then().statusCode(400).contentType(containsString("text/html"));
    }

    @Test
    void loginWhenUserFailsRepeatedlyThenThrottledWithRetryAfterAndRightPasswordRefused() {
        String name = newUser("correct-horse");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, submitLogin(loginLocation(), name, "wrong-" + i).statusCode());
        }
        Response blocked = submitLogin(loginLocation(), name, "correct-horse");
        assertEquals(429, blocked.statusCode());
        assertTrue(Integer.parseInt(blocked.getHeader("Retry-After")) > 0);
        String username = name.toLowerCase(java.util.Locale.ROOT);
        assertEquals("throttled", io.authsuite.auth.audit.AuditAssertions.latest(audit,
                io.authsuite.auth.audit.AuditTypes.SIGN_IN, e -> username.equals(e.details().get("username"))).outcome());
    }

    @Test
    void loginWithCaseSpaceAndWidthVariantsOfOneUsernameThenOneSharedFailureBudget() {
        String name = newUser("correct-horse");
        String[] variants = {name, " " + name, name.toUpperCase(java.util.Locale.ROOT) + "\t", fullWidth(name), name + " "};
        for (String variant : variants) {
            assertEquals(401, submitLogin(loginLocation(), variant, "wrong").statusCode(), variant);
        }
        assertEquals(429, submitLogin(loginLocation(), name, "correct-horse").statusCode());
    }

    @Test
    void loginWithNoBreakSpaceVariantsOfOneUsernameThenOneSharedFailureBudget() {
        String name = newUser("correct-horse");
        // NFKC turns these into an ASCII space: each must count against the same account, not open a budget of its own.
        String[] variants = {name + "\u00A0", "\u2007" + name, name + "\u202F", "\u00A0\u00A0" + name, name + "\u3000"};
        for (String variant : variants) {
            assertEquals(401, submitLogin(loginLocation(), variant, "wrong").statusCode(), variant);
        }
        assertEquals(429, submitLogin(loginLocation(), name, "correct-horse").statusCode());
    }

    @Test
    void loginWithVariantOfUsernameAndRightPasswordThenSignedIn() {
        String name = newUser("correct-horse");
        assertEquals(303, submitLogin(loginLocation(), "  " + fullWidth(name.toUpperCase(java.util.Locale.ROOT)),
                "correct-horse").statusCode());
    }

    @Test
    void loginWithControlOrInvisibleCharactersInUsernameThenBadRequest() {
        String name = newUser("correct-horse");
        for (String hostile : new String[] {name.charAt(0) + "\u0000" + name.substring(1),
                name.charAt(0) + "\u200B" + name.substring(1), name + "\u202E", "a\nb", "x".repeat(300)}) {
            assertEquals(400, submitLogin(loginLocation(), hostile, "correct-horse").statusCode(), hostile);
        }
    }

    @Test
    void loginWithTwentyParallelWrongPasswordsThenAtMostTheAllowedNumberChecked() throws Exception {
        String name = newUser("correct-horse");
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(OAuthFlow.loginPost(loginUri, name, "wrong-" + i));
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<Void>>> sent = requests.stream()
                .map(r -> client.sendAsync(r, HttpResponse.BodyHandlers.discarding())).toList();
        Map<Integer, Long> statuses = new java.util.TreeMap<>();
        for (CompletableFuture<HttpResponse<Void>> f : sent) {
            statuses.merge(f.get(60, TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
        }
        // max-failures-per-user is 5: each 401 is one Argon2 check, each 429 was refused before any.
        assertEquals(Map.of(401, 5L, 429, 15L), statuses);
    }

    private static final String KNOWN = "__Host-authsuite_known";

    @Test
    void loginWhenAccountLockedByFailuresFromElsewhereThenKnownBrowserStillSignsIn() {
        String name = newUser("correct-horse");
        Response first = submitLogin(loginLocation(), name, "correct-horse");
        assertEquals(303, first.statusCode());
        String browser = first.getCookie(KNOWN);
        assertNotNull(browser, "a sign-in makes the browser known");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, submitLogin(loginLocation(), name, "wrong-" + i).statusCode());
        }
        assertEquals(429, submitLogin(loginLocation(), name, "correct-horse").statusCode(), "other browsers locked");
        Response owner = submitLogin(loginLocation(), name, "correct-horse", Map.of(KNOWN, browser));
        assertEquals(303, owner.statusCode(), owner.asString());
        assertEquals(browser, owner.getCookie(KNOWN), "the browser keeps its value");
        long ttl = redis.key().ttl("auth:known-browser:{" + io.authsuite.auth.store.OpaqueTokens.hash(browser) + "}:"
                + name.toLowerCase(java.util.Locale.ROOT));
        assertTrue(ttl > 29L * 24 * 3600 && ttl <= 30L * 24 * 3600, "renewed for 30 days: " + ttl);
    }

    @Test
    void loginFromKnownBrowserWhenItsOwnBudgetSpentThenRefusedThereOnly() {
        String name = newUser("correct-horse");
        String browser = submitLogin(loginLocation(), name, "correct-horse").getCookie(KNOWN);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, submitLogin(loginLocation(), name, "wrong-" + i, Map.of(KNOWN, browser)).statusCode());
        }
        Response blocked = submitLogin(loginLocation(), name, "correct-horse", Map.of(KNOWN, browser));
        assertEquals(429, blocked.statusCode());
        assertTrue(Integer.parseInt(blocked.getHeader("Retry-After")) > 0);
        // A stolen cookie gives no more than its own budget; the account's budget for other browsers is untouched.
        assertEquals(303, submitLogin(loginLocation(), name, "correct-horse").statusCode());
    }

    @Test
    void loginWithMadeUpOrOtherAccountsBrowserValueThenCountedAsUnknownBrowser() {
        String other = newUser("correct-horse");
        String othersBrowser = submitLogin(loginLocation(), other, "correct-horse").getCookie(KNOWN);
        String name = newUser("correct-horse");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, submitLogin(loginLocation(), name, "wrong-" + i).statusCode());
        }
        for (String value : new String[] {othersBrowser, "A".repeat(43), "not-a-value", "x".repeat(500)}) {
            assertEquals(429, submitLogin(loginLocation(), name, "correct-horse", Map.of(KNOWN, value)).statusCode(),
                    value);
        }
    }

    /** A new user signed in once in a browser; returns their username and that browser's known-browser value. */
    private String[] knownBrowserOfNewUser() {
        String name = newUser("correct-horse");
        return new String[] {name, submitLogin(loginLocation(), name, "correct-horse").getCookie(KNOWN)};
    }

    /** Locks {@code name} for unknown browsers, then answers the status of a right password from {@code browser}. */
    private int afterLockFromElsewhere(String name, String password, String browser) {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, submitLogin(loginLocation(), name, "wrong-" + i).statusCode());
        }
        return submitLogin(loginLocation(), name, password, Map.of(KNOWN, browser)).statusCode();
    }

    @Test
    void loginFromKnownBrowserWhenPasswordResetSinceThenCountedAsUnknownBrowser() {
        String[] known = knownBrowserOfNewUser();
        // The reset that follows a takeover: the taker's browser must not keep a budget outside the account's lock.
        users.update(users.byUsername(known[0]).orElseThrow().subject(), null, null, null, null,
                hasher.hash("battery-staple"));
        assertEquals(429, afterLockFromElsewhere(known[0], "battery-staple", known[1]));
    }

    @Test
    void loginFromKnownBrowserWhenUsernameDeletedAndTakenAgainThenCountedAsUnknownBrowser() {
        String[] known = knownBrowserOfNewUser();
        assertTrue(users.delete(users.byUsername(known[0]).orElseThrow().subject()));
        users.create(known[0], hasher.hash("correct-horse"), known[0] + "@example.test", known[0], Set.of("user"));
        assertEquals(429, afterLockFromElsewhere(known[0], "correct-horse", known[1]));
    }

    @Test
    void loginFromKnownBrowserAfterPasswordResetThenKnownAgainForTheNewPassword() {
        String[] known = knownBrowserOfNewUser();
        users.update(users.byUsername(known[0]).orElseThrow().subject(), null, null, null, null,
                hasher.hash("battery-staple"));
        assertEquals(303, submitLogin(loginLocation(), known[0], "battery-staple", Map.of(KNOWN, known[1]))
                .statusCode());
        assertEquals(303, afterLockFromElsewhere(known[0], "battery-staple", known[1]));
    }

    @Test
    void loginThenKnownBrowserCookieIsHttpOnlySecureStrictAndLastsThirtyDays() {
        String name = newUser("correct-horse");
        io.restassured.http.Cookie cookie = submitLogin(loginLocation(), name, "correct-horse").getDetailedCookie(KNOWN);
        assertTrue(cookie.isHttpOnly() && cookie.isSecured(), cookie.toString());
        assertEquals("Strict", cookie.getSameSite());
        assertEquals("/", cookie.getPath());
        assertEquals(30L * 24 * 3600, cookie.getMaxAge());
    }

    @Test
    void loginFailureThenCounterExpiresWithItsWindow() {
        String name = newUser("correct-horse");
        assertEquals(401, submitLogin(loginLocation(), name, "wrong").statusCode());
        long ttl = redis.key().ttl("auth:login-fail:password:account:" + name);
        assertTrue(ttl > 0 && ttl <= 900, "a counter without an expiry would lock the account for good: " + ttl);
    }

    private static String fullWidth(String ascii) {
        StringBuilder b = new StringBuilder();
        ascii.chars().forEach(c -> b.append(c > 0x20 && c < 0x7f ? (char) (c - 0x21 + 0xFF01) : (char) c));
        return b.toString();
    }

    @Test
    void loginWhenUserDisabledThenSameGenericError() {
        String name = newUser("pass-word-1");
        users.update(users.byUsername(name).orElseThrow().subject(), null, null, null, true, null);
        Response r = submitLogin(loginLocation(), name, "pass-word-1");
        assertEquals(401, r.statusCode());
        assertTrue(r.asString().contains("Invalid username or password."));
    }

    @Test
    void secondAuthorizeWithSessionThenCodeWithoutLogin() {
        OAuthFlow.SignedIn first = OAuthFlow.signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid", Pkce.create(), null, null), TestClients.USER, TestClients.password(TestClients.USER));
        Response again = authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                "x", null), first.session());
        again.then().statusCode(303).header("Location", containsString("code="));
        assertEquals("x", OAuthFlow.query(again.getHeader("Location")).get("state"));
        given().redirects().follow(false).queryParams(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), null, null)).queryParam("prompt", "login").cookie("__Host-authsuite_session", first.session())
                .get("/oauth2/authorize").then().statusCode(303).header("Location", containsString("/login"));
    }

    @Test
    void promptNoneWithSessionThenCode() {
        OAuthFlow.SignedIn first = OAuthFlow.signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid", Pkce.create(), null, null), TestClients.USER, TestClients.password(TestClients.USER));
        Map<String, String> p = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null);
        p.put("prompt", "none");
        authorize(p, first.session()).then().statusCode(303).header("Location", containsString("code="));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void signInWhenNextIsNotALocalPageThenNoRedirectThereAndNever500() {
        assertTrue(LoginResource.isLocalNext("/admin/"));
        assertTrue(LoginResource.isLocalNext("/device?user_code=ABCD-EFGH"));
        for (String next : List.of("//evil.example/admin/", "https://evil.example/admin/", "/admin/\\evil",
                "/admin/{x}", "/admin/ x", "/adminx", "/device\r\nSet-Cookie:x=y", "/admin/../oauth2/logout",
                "/admin/./../token", "/device/..", "/admin/%2e%2e/oauth2/logout", "/admin/%2E./x")) {
            org.junit.jupiter.api.Assertions.assertFalse(LoginResource.isLocalNext(next), next);
        }
        // Through the form: a next that is no local page is an expired sign-in request (400), never a redirect or 500.
        Response page = given().redirects().follow(false).get("/login?next=/admin/");
        String csrf = page.getCookie("__Host-authsuite_csrf");
        given().redirects().follow(false).cookie("__Host-authsuite_csrf", csrf)
                .contentType("application/x-www-form-urlencoded")
                .formParam("next", "/admin/{x}").formParam("username", TestClients.ADMIN)
                .formParam("password", TestClients.password(TestClients.ADMIN)).formParam("csrf", csrf)
                .post("/login").then().statusCode(400);
    }
}
