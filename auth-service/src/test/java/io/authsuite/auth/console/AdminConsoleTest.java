package io.authsuite.auth.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.audit.AuditAssertions;
import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.authorize.Csrf;
import io.authsuite.auth.token.TokenRequests;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.User;
import io.authsuite.auth.users.UserStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The admin console over HTTP, as a browser without JavaScript uses it (issue 15); Selenium drives it in the system tests. */
@QuarkusTest
class AdminConsoleTest {

    /** A token request authenticated with client_secret_basic. */
    private static RequestSpecification asClient(String id, String secret) {
        return given().header("Authorization", TokenRequests.basic(id, secret))
                .contentType("application/x-www-form-urlencoded");
    }

    private static final String SESSION = "__Host-authsuite_session";

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    AuditLog audit;

    /** A login session of {@code username}, as the sign-in form leaves it in the browser. */
    private static String session(String username, String password) {
        return OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), null, null), username, password).session();
    }

    private static String session(String username) {
        return session(username, TestClients.password(username));
    }

    private static RequestSpecification as(String session) {
        return given().redirects().follow(false).cookie(SESSION, session);
    }

    /** A console form post with the session's CSRF token, as the page renders it. */
    private static Response post(String session, String path, Map<String, String> form) {
        return as(session).contentType("application/x-www-form-urlencoded")
                .formParams(form).formParam("csrf", Csrf.forSession(session)).post(path);
    }

    private String freshUser(String password) {
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash(password), name + "@example.test", name, Set.of("user"));
        return name;
    }

    private static final List<String> PAGES = List.of("/admin/", "/admin/console/clients", "/admin/console/keys",
            "/admin/console/events");

    @Test
    void consoleWhenNotSignedInThenSignInFormReturnsToConsole() {
        for (String page : PAGES) {
            Response answer = given().redirects().follow(false).get(page);
            assertEquals(303, answer.statusCode(), page + ": " + answer.asString());
            answer.then()
                    .header("Location", containsString("/login?next="));
        }
        given().get("/login?next=/admin/").then().statusCode(200).body(containsString("the admin console"));
    }

    @Test
    void consoleWhenRoleUserThenEveryPageAndActionForbidden() {
        String session = session(TestClients.USER);
        for (String page : PAGES) {
            as(session).get(page).then().statusCode(403).body(containsString("admin role"));
        }
        String target = users.byUsername(TestClients.ADMIN).orElseThrow().subject();
        Map<String, Map<String, String>> actions = Map.of(
                "/admin/console/users", Map.of("username", "mallory-" + UUID.randomUUID().toString().substring(0, 6),
                        "password", "mallory-password", "role", "admin"),
                "/admin/console/users/" + target + "/disable", Map.of(),
                "/admin/console/users/" + target + "/password", Map.of("password", "taken-over-1"),
                "/admin/console/users/" + target + "/logout-everywhere", Map.of(),
                "/admin/console/clients", Map.of("client_id", "mallory", "grant_type", "client_credentials"),
                "/admin/console/clients/" + TestClients.SERVICE + "/disable", Map.of(),
                "/admin/console/clients/" + TestClients.SERVICE + "/secret", Map.of(),
                "/admin/console/keys/rotate", Map.of());
        // With the session's own CSRF token: the role, not the form, refuses.
        actions.forEach((path, form) -> post(session, path, form).then().statusCode(403));
        assertTrue(users.byUsername(TestClients.ADMIN).map(u -> !u.disabled()).orElse(false));
        asClient(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE))
                .formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void consolePagesWhenAdminThenRenderedUnframedAndUncached() {
        String session = session(TestClients.ADMIN);
        for (String page : PAGES) {
            as(session).get(page).then().statusCode(200)
                    .contentType(containsString("text/html"))
                    .header("Cache-Control", "no-store")
                    .header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .body(containsString("authsuite admin"));
        }
        as(session).get("/admin/").then().body(containsString(TestClients.USER));
    }

    @Test
    void createUserWhenAdminThenUserSignsInAndEventAudited() {
        String session = session(TestClients.ADMIN);
        String name = "made-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = post(session, "/admin/console/users", Map.of("username", name,
                "password", "made-password-1", "email", name + "@example.test", "name", "Made Here", "role", "user"));
        assertEquals(303, created.statusCode(), created.asString());
        User user = users.byUsername(name).orElseThrow();
        assertTrue(created.getHeader("Location").endsWith("/admin/console/users/" + user.subject() + "?done=user-created"));
        as(session).get("/admin/console/users/" + user.subject() + "?done=user-created").then().statusCode(200)
                .body(containsString(name)).body(containsString("User created."));
        session(name, "made-password-1");
        String admin = users.byUsername(TestClients.ADMIN).orElseThrow().subject();
        assertEquals(admin, AuditAssertions.latest(audit, AuditTypes.ADMIN_USER_CHANGE,
                e -> user.subject().equals(e.details().get("user"))).subject());
    }

    @Test
    void createUserWhenInputInvalidThenPageSaysWhyAndNothingCreated() {
        String session = session(TestClients.ADMIN);
        post(session, "/admin/console/users", Map.of("username", "short-pw", "password", "1234"))
                .then().statusCode(400).body(containsString("password must be 8 to 1024 characters"));
        post(session, "/admin/console/users", Map.of("username", "bad name!", "password", "long-enough-1"))
                .then().statusCode(400).body(containsString("username must be"));
        post(session, "/admin/console/users", Map.of("username", TestClients.USER, "password", "long-enough-1"))
                .then().statusCode(409).body(containsString("the username is taken"));
        assertTrue(users.byUsername("short-pw").isEmpty());
    }

    @Test
    void actionWhenCsrfTokenMissingWrongOrCrossOriginThenForbiddenAndNothingChanged() {
        String session = session(TestClients.ADMIN);
        String name = freshUser("victim-password-1");
        String subject = users.byUsername(name).orElseThrow().subject();
        String path = "/admin/console/users/" + subject + "/disable";
        as(session).contentType("application/x-www-form-urlencoded").formParam("x", "1").post(path)
                .then().statusCode(403);
        as(session).contentType("application/x-www-form-urlencoded").formParam("csrf", Csrf.forSession("another"))
                .post(path).then().statusCode(403);
        as(session).header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .formParam("csrf", Csrf.forSession(session)).post(path).then().statusCode(403);
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", Csrf.forSession(session)).post(path).then().statusCode(403);
        assertTrue(!users.byUsername(name).orElseThrow().disabled());
    }

    @Test
    void revokeSessionWhenAdminRevokesThenUsersRefreshRefused() {
        String name = freshUser("session-password-1");
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA,
                TestClients.SPA_REDIRECT, "openid orders:read", pkce, null, null), name, "session-password-1");
        String refresh = OAuthFlow.exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("refresh_token");
        String subject = users.byUsername(name).orElseThrow().subject();

        String admin = session(TestClients.ADMIN);
        String page = as(admin).get("/admin/console/users/" + subject).then().statusCode(200)
                .body(containsString(TestClients.SPA)).extract().asString();
        Matcher revoke = Pattern.compile("action=\"(/admin/console/users/[^\"]+/sessions/[^\"]+/revoke)\"").matcher(page);
        assertTrue(revoke.find(), page);
        post(admin, revoke.group(1), Map.of()).then().statusCode(303)
                .header("Location", endsWith("?done=session-revoked"));
        as(admin).get("/admin/console/users/" + subject).then().body(containsString("No live sessions."));
        OAuthFlow.refresh(TestClients.SPA, refresh, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // Revoking it again finds nothing to revoke.
        post(admin, revoke.group(1), Map.of()).then().statusCode(404).body(containsString("already ended"));
    }

    @Test
    void disableUserWhenAdminThenSignInRefusedAndEnableRestores() {
        String name = freshUser("disable-password-1");
        String subject = users.byUsername(name).orElseThrow().subject();
        String admin = session(TestClients.ADMIN);
        post(admin, "/admin/console/users/" + subject + "/disable", Map.of()).then().statusCode(303);
        as(admin).get("/admin/console/users/" + subject).then().body(containsString("disabled"));
        OAuthFlow.submitLogin(OAuthFlow.loginLocation(), name, "disable-password-1").then().statusCode(401);
        post(admin, "/admin/console/users/" + subject + "/enable", Map.of()).then().statusCode(303);
        post(admin, "/admin/console/users/" + subject + "/password", Map.of("password", "reset-password-2"))
                .then().statusCode(303).header("Location", endsWith("?done=password-reset"));
        session(name, "reset-password-2");
    }

    @Test
    void createClientWhenAdminThenSecretShownOnceWorksRotatesAndDisables() {
        String admin = session(TestClients.ADMIN);
        String id = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String page = post(admin, "/admin/console/clients", Map.of("client_id", id, "client_type", "confidential",
                "grant_type", "client_credentials", "scopes", "orders:read"))
                .then().statusCode(201).header("Cache-Control", "no-store").extract().asString();
        String secret = secretOf(page);
        asClient(id, secret).formParam("grant_type", "client_credentials").post("/oauth2/token")
                .then().statusCode(200);
        as(admin).get("/admin/console/clients").then().statusCode(200).body(containsString(id))
                .body(not(containsString(secret)));

        String rotated = secretOf(post(admin, "/admin/console/clients/" + id + "/secret", Map.of())
                .then().statusCode(200).extract().asString());
        assertTrue(!rotated.equals(secret));
        asClient(id, rotated).formParam("grant_type", "client_credentials").post("/oauth2/token")
                .then().statusCode(200);

        post(admin, "/admin/console/clients/" + id + "/disable", Map.of()).then().statusCode(303);
        asClient(id, rotated).formParam("grant_type", "client_credentials").post("/oauth2/token")
                .then().statusCode(401);
        post(admin, "/admin/console/clients/no-such-client/disable", Map.of()).then().statusCode(404);
    }

    @Test
    void createClientWhenRequirementsTickedThenOnlyPushedRequestsAndDpopProofsAccepted() {
        String admin = session(TestClients.ADMIN);
        String id = "console-" + UUID.randomUUID().toString().substring(0, 8);
        post(admin, "/admin/console/clients", Map.of("client_id", id, "client_type", "public",
                "grant_type", "authorization_code", "redirect_uris", TestClients.SPA_REDIRECT, "scopes", "openid",
                "dpop_bound_access_tokens", "true", "require_pushed_authorization_requests", "true"))
                .then().statusCode(303);
        as(admin).get("/admin/console/clients").then().statusCode(200).body(containsString("DPoP, PAR"));

        Response sent = OAuthFlow.authorize(OAuthFlow.authorizeParams(id, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), "st", null), null);
        assertEquals(303, sent.statusCode(), sent.asString());
        assertEquals("invalid_request", OAuthFlow.query(sent.getHeader("Location")).get("error"));

        Pkce pkce = Pkce.create();
        String requestUri = given().contentType("application/x-www-form-urlencoded")
                .formParams(OAuthFlow.authorizeParams(id, TestClients.SPA_REDIRECT, "openid", pkce, "st", null))
                .post("/oauth2/par").then().statusCode(201).extract().path("request_uri");
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(Map.of("client_id", id, "request_uri", requestUri),
                TestClients.USER, TestClients.password(TestClients.USER));
        OAuthFlow.exchange(id, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier()).then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void createClientWhenNoGrantOrBadRedirectThenPageSaysWhy() {
        String admin = session(TestClients.ADMIN);
        post(admin, "/admin/console/clients", Map.of("client_id", "no-grants")).then().statusCode(400)
                .body(containsString("Choose at least one grant type"));
        post(admin, "/admin/console/clients", Map.of("client_id", "bad-redirect", "client_type", "public",
                "grant_type", "authorization_code", "redirect_uris", "javascript:alert(1)"))
                .then().statusCode(400).body(containsString("no redirection endpoint"));
    }

    @Test
    void keysPageWhenKeysFromFilesThenReadOnlyAndRotateRefused() {
        String admin = session(TestClients.ADMIN);
        String kid = given().get("/oauth2/jwks").then().extract().path("keys[0].kid");
        as(admin).get("/admin/console/keys").then().statusCode(200).body(containsString(kid))
                .body(not(containsString("id=\"rotate\"")));
        post(admin, "/admin/console/keys/rotate", Map.of()).then().statusCode(409);
    }

    @Test
    void eventsPageWhenFilteredThenOnlyThatTypeAndBadFiltersRefused() {
        String admin = session(TestClients.ADMIN);
        asClient(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE))
                .formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(200);
        audit.flush();
        String page = as(admin).get("/admin/console/events?type=token_issued&client=" + TestClients.SERVICE)
                .then().statusCode(200).extract().asString();
        List<String> types = Pattern.compile("<tr data-type=\"([^\"]+)\"").matcher(page).results()
                .map(m -> m.group(1)).toList();
        assertTrue(!types.isEmpty() && types.stream().allMatch("token_issued"::equals), types.toString());
        // "To" a minute includes that whole minute: the grant above is listed up to the minute it happened in.
        String minute = java.time.LocalDateTime.ofInstant(java.time.Instant.parse(audit.page(null, 1,
                new io.authsuite.auth.audit.AuditLog.Filter("token_issued", null, TestClients.SERVICE, null, null))
                        .events().get(0).time()), java.time.ZoneOffset.UTC)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        String upToMinute = as(admin).get("/admin/console/events?type=token_issued&client=" + TestClients.SERVICE
                + "&to=" + minute).then().statusCode(200).extract().asString();
        assertTrue(upToMinute.contains("<tr data-type=\"token_issued\""), "nothing listed up to " + minute);
        as(admin).get("/admin/console/events?type=<script>").then().statusCode(400)
                .body(not(containsString("<script>")));
        as(admin).get("/admin/console/events?from=yesterday").then().statusCode(400);
        as(admin).get("/admin/console/events?before=1;DROP").then().statusCode(400);
        // Times and cursors outside what a stream id holds: the page says so, never a server error.
        for (String outside : List.of("from=-0001-01-01T00:00", "to=1969-12-31T23:59", "from=%2B300000000-01-01T00:00",
                "before=0-0", "before=99999999999999999999-0")) {
            as(admin).urlEncodingEnabled(false).get("/admin/console/events?" + outside).then().statusCode(400);
        }
    }

    @Test
    void userPageWhenNoSuchUserThen404Page() {
        as(session(TestClients.ADMIN)).get("/admin/console/users/no-such-subject").then().statusCode(404)
                .body(containsString("No such user."));
    }

    private static String secretOf(String page) {
        Matcher m = Pattern.compile("<code id=\"secret\">([^<]+)</code>").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }
}
