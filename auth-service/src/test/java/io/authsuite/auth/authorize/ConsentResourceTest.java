package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.path;
import static io.authsuite.auth.OAuthFlow.query;
import static io.authsuite.auth.OAuthFlow.submitLogin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConsentResourceTest {

    @jakarta.inject.Inject
    io.authsuite.auth.audit.AuditLog audit;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    RedisDataSource redis;

    private String freshUser() {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("consent-pass"), name + "@example.test", name, Set.of("user"));
        return name;
    }

    private static Map<String, String> thirdParty() {
        return authorizeParams(TestClients.THIRD, TestClients.THIRD_REDIRECT, "openid email", Pkce.create(), "cs", null);
    }

    private record ConsentPage(String location, String session) {
    }

    private static Map<String, String> thirdPartyReset() {
        return authorizeParams(TestClients.THIRD_RESET, TestClients.THIRD_REDIRECT, "openid email", Pkce.create(), "cs",
                null);
    }

    private ConsentPage loginToConsent(String user) {
        return loginToConsent(user, thirdParty());
    }

    private ConsentPage loginToConsent(String user, Map<String, String> params) {
        Response login = submitLogin(path(authorize(params, null).getHeader("Location")), user, "consent-pass");
        assertEquals(303, login.statusCode());
        String location = path(login.getHeader("Location"));
        assertTrue(location.startsWith("/consent?request="), location);
        return new ConsentPage(location, login.getCookie("__Host-authsuite_session"));
    }

    private static Response decide(ConsentPage page, String decision) {
        Response form = given().cookie("__Host-authsuite_session", page.session()).get(page.location());
        form.then().statusCode(200).body(containsString("openid")).body(containsString(TestClients.THIRD));
        String csrf = form.getCookie("__Host-authsuite_csrf");
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("__Host-authsuite_session", page.session()).cookie("__Host-authsuite_csrf", csrf)
                .formParam("request", query(page.location()).get("request"))
                .formParam("decision", decision).formParam("csrf", csrf)
                .post("/consent");
    }

    @Test
    void firstPartyAppWhenPromptConsentThenAskedAndAnsweredAsDecided() {
        String user = freshUser();
        for (String decision : List.of("deny", "allow")) {
            Map<String, String> params = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid orders:read",
                    Pkce.create(), "fp", null);
            params.put("prompt", "consent");
            // OIDC Core §3.1.2.1: a first-party app is not asked by default, but prompt=consent asks.
            ConsentPage page = loginToConsent(user, params);
            Response form = given().cookie("__Host-authsuite_session", page.session()).get(page.location());
            form.then().statusCode(200).body(containsString(TestClients.SPA)).body(containsString("orders:read"));
            String csrf = form.getCookie("__Host-authsuite_csrf");
            Response decided = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .cookie("__Host-authsuite_session", page.session()).cookie("__Host-authsuite_csrf", csrf)
                    .formParam("request", query(page.location()).get("request"))
                    .formParam("decision", decision).formParam("csrf", csrf).post("/consent");
            assertEquals(303, decided.statusCode(), decision);
            Map<String, String> answer = query(decided.getHeader("Location"));
            if (decision.equals("deny")) {
                assertEquals("access_denied", answer.get("error"), answer.toString());
            } else {
                assertNotNull(answer.get("code"), answer.toString());
            }
            assertEquals("fp", answer.get("state"));
        }
    }

    @Test
    void thirdPartyClientWhenUserAllowsThenCodeAndConsentRemembered() {
        String user = freshUser();
        ConsentPage page = loginToConsent(user);
        Response allowed = decide(page, "allow");
        assertEquals(303, allowed.statusCode());
        Map<String, String> params = query(allowed.getHeader("Location"));
        assertNotNull(params.get("code"));
        assertEquals("cs", params.get("state"));
        // Next time the same scopes need no consent.
        authorize(thirdParty(), page.session()).then().statusCode(303).header("Location", containsString("code="));
        String subject = users.byUsername(user).orElseThrow().subject();
        var consent = io.authsuite.auth.audit.AuditAssertions.latest(audit, io.authsuite.auth.audit.AuditTypes.CONSENT,
                e -> subject.equals(e.subject()));
        assertEquals(TestClients.THIRD, consent.client());
        assertEquals("openid email", consent.details().get("scope"));
    }

    @Inject
    io.authsuite.auth.clients.ClientManagement management;

    @Test
    void thirdPartyClientWhenDisabledAndEnabledAgainThenConsentAskedAgain() {
        ConsentPage page = loginToConsent(freshUser(), thirdPartyReset());
        assertEquals(303, decide(page, "allow").statusCode());
        authorize(thirdPartyReset(), page.session()).then().statusCode(303).header("Location", containsString("code="));
        // A disable ends the client's grants; the consent goes with them (so it does for a client deleted and
        // created again under the same id).
        management.setDisabled(TestClients.THIRD_RESET, true);
        management.setDisabled(TestClients.THIRD_RESET, false);
        authorize(thirdPartyReset(), page.session()).then().statusCode(303)
                .header("Location", containsString("/consent?request="));
    }

    @Test
    void thirdPartyClientWhenUserDeniesThenAccessDenied() {
        ConsentPage page = loginToConsent(freshUser());
        Response denied = decide(page, "deny");
        Map<String, String> params = query(denied.getHeader("Location"));
        assertEquals("access_denied", params.get("error"));
        assertEquals("cs", params.get("state"));
    }

    @Test
    void consentReachedDirectlyAfterPromptLoginWithOldSessionThenSentToSignInNotCode() {
        String user = freshUser();
        String session = loginToConsent(user).session();
        ageSession(session);
        Map<String, String> params = thirdParty();
        params.put("prompt", "login");
        assertSkippingSignInThroughConsentRefused(params, session);
    }

    @Test
    void consentReachedDirectlyAfterMaxAgeZeroWithOldSessionThenSentToSignInNotCode() {
        String user = freshUser();
        String session = loginToConsent(user).session();
        ageSession(session);
        Map<String, String> params = thirdParty();
        params.put("max_age", "0");
        assertSkippingSignInThroughConsentRefused(params, session);
    }

    @Test
    void authorizeWhenMaxAgeZeroAndSessionSignedInThisSecondThenSignInPage() {
        String user = freshUser();
        String session = loginToConsent(user).session();
        // A sign-in at or after the request's second, as a double click makes it: pinned a few seconds ahead, so that
        // the case does not depend on where the clock is within its second.
        redis.hash(String.class).hset("auth:session:" + OpaqueTokens.hash(session), "authTime",
                Long.toString(java.time.Instant.now().getEpochSecond() + 5));
        // OIDC Core §3.1.2.1 (errata set 2): max_age=0 is prompt=login, the person signs in again.
        Map<String, String> params = thirdParty();
        params.put("max_age", "0");
        Response authorize = authorize(params, session);
        assertEquals(303, authorize.statusCode());
        assertTrue(path(authorize.getHeader("Location")).startsWith("/login?request="), authorize.getHeader("Location"));
        // With prompt=none no page may show: login_required.
        params.put("prompt", "none");
        Response none = authorize(params, session);
        assertEquals(303, none.statusCode());
        assertEquals("login_required", query(none.getHeader("Location")).get("error"), none.getHeader("Location"));
    }

    /** The session signed in an hour ago, as if the person walked away from a shared computer. */
    private void ageSession(String session) {
        redis.hash(String.class).hset("auth:session:" + OpaqueTokens.hash(session), "authTime",
                Long.toString(java.time.Instant.now().getEpochSecond() - 3600));
    }

    private void assertSkippingSignInThroughConsentRefused(Map<String, String> params, String session) {
        Response authorize = authorize(params, session);
        assertEquals(303, authorize.statusCode());
        String login = path(authorize.getHeader("Location"));
        assertTrue(login.startsWith("/login?request="), login);
        // The attacker skips the sign-in page and posts the consent form with the old session.
        ConsentPage skipped = new ConsentPage("/consent?request=" + query(login).get("request"), session);
        Response decided = decide(skipped, "allow");
        assertEquals(303, decided.statusCode());
        String location = decided.getHeader("Location");
        assertTrue(path(location).startsWith("/login?request="), location);
        assertTrue(!location.contains("code="), location);
    }

    @Test
    void consentWithForgedCsrfThenForbidden() {
        ConsentPage page = loginToConsent(freshUser());
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("__Host-authsuite_session", page.session()).cookie("__Host-authsuite_csrf", "a")
                .formParam("request", query(page.location()).get("request"))
                .formParam("decision", "allow").formParam("csrf", "b")
                .post("/consent").then().statusCode(403);
    }

    @Test
    void firstPartyClientNeedsNoConsent() {
        Response login = submitLogin(path(authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), null, null), null).getHeader("Location")), freshUser(), "consent-pass");
        assertTrue(login.getHeader("Location").startsWith(TestClients.SPA_REDIRECT));
    }
}
