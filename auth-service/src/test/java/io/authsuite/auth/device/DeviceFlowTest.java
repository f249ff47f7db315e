package io.authsuite.auth.device;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeviceFlowTest {

    @jakarta.inject.Inject
    io.authsuite.auth.audit.AuditLog audit;

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    @Inject
    RedisDataSource redis;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    DeviceCodeStore store;

    @Inject
    io.authsuite.auth.token.TokenRevocation revocation;

    @Inject
    io.authsuite.auth.store.SessionStore sessions;

    private static JsonPath start() {
        return given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.DEVICE)
                .formParam("scope", "openid orders:read").post("/oauth2/device_authorization")
                .then().statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
    }

    private static Response poll(String deviceCode) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", GRANT)
                .formParam("client_id", TestClients.DEVICE).formParam("device_code", deviceCode).post("/oauth2/token");
    }

    private static Response poll(String deviceCode, String resource) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", GRANT)
                .formParam("client_id", TestClients.DEVICE).formParam("device_code", deviceCode)
                .formParam("resource", resource).post("/oauth2/token");
    }

    private static String session() {
        return OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), null, null), TestClients.USER, TestClients.password(TestClients.USER)).session();
    }

    private static Response decide(String session, String userCode, String decision) {
        return decide(session, userCode, decision, userCode);
    }

    /**
     * Opens the device page (with {@code shownCode}, or none when null) and posts a decision for {@code userCode}
     * from it, with the confirmation the page carries when it showed a request.
     */
    private static Response decide(String session, String userCode, String decision, String shownCode) {
        // Opened from the device's link or QR code, as a browser says it (Sec-Fetch-Site: none).
        var request = given().cookie("__Host-authsuite_session", session).header("Sec-Fetch-Site", "none");
        Response page = (shownCode == null ? request : request.queryParam("user_code", shownCode)).get("/device");
        page.then().statusCode(200);
        return post(session, page, userCode, decision);
    }

    /** Posts the form of {@code page} (its CSRF token and confirmation, if any) with this code and decision. */
    private static Response post(String session, Response page, String userCode, String decision) {
        String csrf = page.getCookie("__Host-authsuite_csrf");
        var form = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("__Host-authsuite_session", session).cookie("__Host-authsuite_csrf", csrf)
                .formParam("user_code", userCode).formParam("csrf", csrf);
        if (decision != null) {
            form.formParam("decision", decision);
        }
        java.util.regex.Matcher confirm = java.util.regex.Pattern.compile("name=\"confirm\" value=\"([^\"]+)\"")
                .matcher(page.asString());
        if (confirm.find()) {
            form.formParam("confirm", confirm.group(1));
        }
        return form.post("/device");
    }

    @Test
    void deviceAuthorizationThenCodesUrisExpiryAndInterval() {
        JsonPath d = start();
        assertTrue(d.getString("user_code").matches("[B-Z&&[^EIOU]]{4}-[B-Z&&[^EIOU]]{4}"), d.getString("user_code"));
        assertEquals("https://auth.test/device", d.getString("verification_uri"));
        assertTrue(d.getString("verification_uri_complete").endsWith("?user_code=" + d.getString("user_code")));
        assertEquals(600, d.getInt("expires_in"));
        assertEquals(5, d.getInt("interval"));
    }

    @Test
    void pollBeforeApprovalThenPendingThenSlowDownThenTokensAfterApproval() {
        JsonPath d = start();
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("authorization_pending"));
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("slow_down"));
        decide(session(), d.getString("user_code").toLowerCase(), "approve").then().statusCode(200)
                .body(containsString("Device connected"));
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();
        assertEquals(TestClients.DEVICE, io.authsuite.auth.audit.AuditAssertions.latest(audit,
                io.authsuite.auth.audit.AuditTypes.DEVICE_DECISION, e -> subject.equals(e.subject())
                        && "approved".equals(e.details().get("decision"))).client());
        poll(d.getString("device_code")).then().statusCode(200)
                .body("access_token", notNullValue()).body("refresh_token", notNullValue())
                .body("id_token", notNullValue()).body("scope", equalTo("openid orders:read"));
        // A device code is good for one token response; RFC 8628 §3.5: the session has concluded, start again.
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("expired_token"))
                .body("error_description", containsString("used already"));
        given().get("/.well-known/openid-configuration").then().body("grant_types_supported", org.hamcrest.Matchers.hasItem(GRANT));
        assertTrue(subject.length() > 0);
    }

    @Test
    void approvedThenPollWithResourceOutsideTheApprovalThenInvalidTargetAndApprovalKept() {
        JsonPath d = start();
        decide(session(), d.getString("user_code"), "approve").then().statusCode(200);
        // inventory-service is known, but the person approved orders:read alone (RFC 8707 §2).
        poll(d.getString("device_code"), "http://127.0.0.1:8082").then().statusCode(400)
                .body("error", equalTo("invalid_target"));
        poll(d.getString("device_code"), "http://127.0.0.1:8081").then().statusCode(200)
                .body("access_token", notNullValue()).body("scope", equalTo("orders:read"));
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("expired_token"));
    }

    private static Response deviceAuthorizationFor(String scope, String... resources) {
        var spec = given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.DEVICE)
                .formParam("scope", scope);
        for (String resource : resources) {
            spec.formParam("resource", resource);
        }
        return spec.post("/oauth2/device_authorization");
    }

    @Test
    void deviceAuthorizationWithResourceThenCheckedAsAtTheAuthorizationEndpoint() {
        // RFC 8707 §2.1: an unknown resource, or one the request holds no scope of, is refused before any code exists.
        deviceAuthorizationFor("openid orders:read", "https://elsewhere.example/api").then().statusCode(400)
                .header("Cache-Control", "no-store").body("error", equalTo("invalid_target"));
        deviceAuthorizationFor("openid orders:read", "http://127.0.0.1:8081", "http://127.0.0.1:8082").then()
                .statusCode(400).body("error", equalTo("invalid_target"))
                .body("error_description", containsString("inventory-service"));
        JsonPath d = deviceAuthorizationFor("openid orders:read", "http://127.0.0.1:8081").then().statusCode(200)
                .extract().jsonPath();
        decide(session(), d.getString("user_code"), "approve").then().statusCode(200);
        poll(d.getString("device_code")).then().statusCode(200).body("scope", equalTo("openid orders:read"));
    }

    @Test
    void codeTypedThenRequestShownAndOnlyADecisionFromThatPageCounts() {
        JsonPath d = start();
        String session = session();
        String code = d.getString("user_code");
        Response entry = given().cookie("__Host-authsuite_session", session).get("/device");
        entry.then().statusCode(200).body(containsString("id=\"continue\"")).body(not(containsString("id=\"approve\"")));
        // RFC 8628 §5.4: an approval posted straight from the entry page, as a phished person would, decides nothing:
        // the answer shows what the code would let in, with Allow and Deny.
        Response shown = post(session, entry, code, "approve");
        shown.then().statusCode(200).body(containsString(TestClients.DEVICE)).body(containsString("orders:read"))
                .body(containsString("id=\"approve\""));
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("authorization_pending"));
        // That page's confirmation holds for its code only.
        JsonPath other = start();
        post(session, shown, other.getString("user_code"), "approve").then().statusCode(200)
                .body(containsString("id=\"approve\""));
        poll(other.getString("device_code")).then().statusCode(400)
                .body("error", equalTo("authorization_pending"));
        post(session, shown, code, "approve").then().statusCode(200).body(containsString("Device connected"));
        poll(d.getString("device_code")).then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void userDeniesThenAccessDenied() {
        JsonPath d = start();
        decide(session(), d.getString("user_code"), "deny").then().statusCode(200).body(containsString("denied"));
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("access_denied"));
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("expired_token"));
        var event = io.authsuite.auth.audit.AuditAssertions.latest(audit, io.authsuite.auth.audit.AuditTypes.DEVICE_DECISION,
                e -> "denied".equals(e.details().get("decision")));
        assertEquals(TestClients.DEVICE, event.client());
        assertEquals("failure", event.outcome());
    }

    @Test
    void codeExpiredThenExpiredToken() {
        JsonPath d = start();
        String code = d.getString("user_code").replace("-", "");
        String deviceKey = redis.value(String.class).get("auth:user-code:" + code);
        redis.hash(String.class).hset(deviceKey, Map.of("expires", "1"));
        poll(d.getString("device_code")).then().statusCode(400).body("error", equalTo("expired_token"));
    }

    @Test
    void unknownDeviceCodeOrOtherClientThenInvalidGrant() {
        poll("D".repeat(43)).then().statusCode(400).body("error", equalTo("invalid_grant"));
        JsonPath d = start();
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", GRANT)
                .formParam("client_id", TestClients.SPA).formParam("device_code", d.getString("device_code"))
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void clientWithoutDeviceGrantThenUnauthorizedClient() {
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.SPA)
                .post("/oauth2/device_authorization").then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void devicePageWithoutSessionThenSignInAndBack() {
        Response redirect = given().redirects().follow(false).queryParam("user_code", "BCDF-GHJK").get("/device");
        redirect.then().statusCode(303);
        String login = OAuthFlow.path(redirect.getHeader("Location"));
        assertTrue(login.startsWith("/login?next="), login);
        Response page = given().urlEncodingEnabled(false).get(login);
        page.then().statusCode(200).body(containsString("name=\"next\""));
        String csrf = page.getCookie("__Host-authsuite_csrf");
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").cookie("__Host-authsuite_csrf", csrf)
                .formParam("next", "/device?user_code=BCDF-GHJK").formParam("username", TestClients.USER)
                .formParam("password", TestClients.password(TestClients.USER)).formParam("csrf", csrf)
                .post("/login").then().statusCode(303).header("Location", containsString("/device?user_code=BCDF-GHJK"));
    }

    @Test
    void guessingUserCodesThroughTheDevicePageThenThrottledEvenForARealCode() {
        // Another user than the other tests', whose device-code budget this test spends.
        String session = OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), null, null), TestClients.ADMIN, TestClients.password(TestClients.ADMIN)).session();
        String real = start().getString("user_code");
        for (int i = 0; i < 5; i++) {
            given().cookie("__Host-authsuite_session", session).header("Sec-Fetch-Site", "none")
                    .queryParam("user_code", "ZZZZ-ZZZ" + i).get("/device")
                    .then().statusCode(400).body(containsString("not valid"));
        }
        // RFC 8628 §5.1: past the limit a lookup reveals nothing, not even for a code that exists.
        given().cookie("__Host-authsuite_session", session).header("Sec-Fetch-Site", "none")
                .queryParam("user_code", real).get("/device")
                .then().statusCode(429).header("Retry-After", notNullValue())
                .body(org.hamcrest.Matchers.not(containsString(TestClients.DEVICE)));
    }

    @Test
    void devicePageWhenAnotherSiteOpensItWithWrongCodesThenOnlyFilledInAndTheBudgetKept() {
        String session = sessionOf(newUser());
        for (int i = 0; i < 8; i++) {
            // Every other visit from a browser that sends no Sec-Fetch-Site (older ones): it cannot tell either.
            var visit = given().cookie("__Host-authsuite_session", session);
            if (i % 2 == 0) {
                visit.header("Sec-Fetch-Site", "cross-site");
            }
            visit.queryParam("user_code", "ZZZZ-ZZZ" + i).get("/device")
                    .then().statusCode(200).body(containsString("ZZZZ-ZZZ" + i))
                    .body(org.hamcrest.Matchers.not(containsString("not valid")));
        }
        // Opened from the device's QR code (the browser says "none"), the request is shown at once.
        String real = start().getString("user_code");
        Response page = given().cookie("__Host-authsuite_session", session).header("Sec-Fetch-Site", "none")
                .queryParam("user_code", real).get("/device");
        page.then().statusCode(200).body(containsString(TestClients.DEVICE));
        assertEquals(200, post(session, page, real, "approve").statusCode());
    }

    @Test
    void wrongUserCodesThenErrorThenThrottled() {
        String session = sessionOf(newUser());
        int status = 0;
        for (int i = 0; i < 6; i++) {
            // The code typed into the empty form: only the POST sees it.
            status = decide(session, "ZZZZ-ZZZZ", "approve", null).statusCode();
        }
        assertEquals(429, status);
    }

    @Test
    void userCodeGuessesThenSignInOfAUserNamedLikeTheDeviceBudgetUnaffected() {
        String guesser = newUser();
        String session = sessionOf(guesser);
        for (int i = 0; i < 5; i++) {
            decide(session, "ZZZZ-ZZZ" + i, "approve", null);
        }
        assertEquals(429, decide(session, "ZZZZ-ZZZZ", "approve", null).statusCode());
        // The old throttle keyed user codes as "device:<subject>" in the usernames' namespace.
        String lookalike = "device:" + users.byUsername(guesser).orElseThrow().subject();
        users.create(lookalike, hasher.hash("pass-word-1"), "x@example.test", "x", java.util.Set.of("user"));
        assertEquals(303, OAuthFlow.submitLogin(OAuthFlow.loginLocation(), lookalike, "pass-word-1").statusCode());
        assertEquals(303, OAuthFlow.submitLogin(OAuthFlow.loginLocation(), guesser, "pass-word-1").statusCode(),
                "wrong user codes do not spend the password budget either");
    }

    private String newUser() {
        String name = "dev-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("pass-word-1"), name + "@example.test", name, java.util.Set.of("user"));
        return name;
    }

    private static String sessionOf(String username) {
        return OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), null, null), username, "pass-word-1").session();
    }

    @Test
    void approvedDeviceCodeThenLogOutEverywhereThenPollAccessDeniedNeverTokens() {
        String name = newUser();
        String session = sessionOf(name);
        JsonPath started = start();
        decide(session, started.getString("user_code"), "approve").then().statusCode(200);
        revocation.logoutEverywhere(users.byUsername(name).orElseThrow().subject());
        poll(started.getString("device_code")).then().statusCode(400).body("error", equalTo("access_denied"))
                .body("access_token", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void approvalWhenItsSessionWasReadBeforeLogOutEverywhereThenPollAccessDenied() {
        // The race: the device page reads the session, "log out everywhere" deletes it and withdraws the grants, and
        // only then is the approval written. Forced by deciding with the session as read before the logout, dated as
        // the page dates it.
        String name = newUser();
        String subject = users.byUsername(name).orElseThrow().subject();
        io.authsuite.auth.store.SessionStore.LoginSession read = sessions.find(sessionOf(name)).orElseThrow();
        JsonPath started = start();
        DeviceCodeStore.Pending pending = store.pending(started.getString("user_code")).orElseThrow();
        revocation.logoutEverywhere(subject);
        assertTrue(store.decide(pending, true, subject, read.authTime().getEpochSecond(), read.aliveAtMillis()));
        poll(started.getString("device_code")).then().statusCode(400).body("error", equalTo("access_denied"))
                .body("access_token", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void approvalBeforeTheClientWasDisabledThenPollAfterItsEnableAccessDenied() {
        String admin = OAuthFlow.userToken(TestClients.ADMIN, "openid clients:manage");
        String id = managedDeviceClient(admin, "openid", "orders:read");
        JsonPath started = deviceAuthorization(id, "openid orders:read");
        decide(session(), started.getString("user_code"), "approve").then().statusCode(200);
        given().auth().oauth2(admin).post("/admin/clients/" + id + "/disable").then().statusCode(200);
        given().auth().oauth2(admin).post("/admin/clients/" + id + "/enable").then().statusCode(200);

        pollAs(id, started.getString("device_code"))
                .then().statusCode(400).body("error", equalTo("access_denied"))
                .body("access_token", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void pollWhenRegistrationNarrowedSinceApprovalThenTokenHoldsOnlyWhatItStillAllows() {
        String admin = OAuthFlow.userToken(TestClients.ADMIN, "openid clients:manage");
        String id = managedDeviceClient(admin, "openid", "orders:read", "inventory:read");
        JsonPath both = deviceAuthorization(id, "openid orders:read inventory:read");
        JsonPath inventoryOnly = deviceAuthorization(id, "inventory:read");
        String person = session();
        decide(person, both.getString("user_code"), "approve").then().statusCode(200);
        decide(person, inventoryOnly.getString("user_code"), "approve").then().statusCode(200);
        // An admin takes inventory:read away between the approvals and the device's polls.
        given().auth().oauth2(admin).contentType("application/json")
                .body(java.util.Map.of("client_type", "public", "grant_types", java.util.List.of(GRANT),
                        "scopes", java.util.List.of("openid", "orders:read")))
                .put("/admin/clients/" + id).then().statusCode(200);

        String access = pollAs(id, both.getString("device_code")).then().statusCode(200)
                .body("scope", equalTo("openid orders:read")).extract().path("access_token");
        assertFalse(OAuthFlow.claims(access).contains("inventory"));
        // RFC 8628 §3.5: nothing approved is left for this client.
        pollAs(id, inventoryOnly.getString("device_code")).then().statusCode(400)
                .body("error", equalTo("access_denied")).body("access_token", org.hamcrest.Matchers.nullValue());
    }

    /** A public device client created through the admin API with {@code scopes}; its id. */
    private static String managedDeviceClient(String admin, String... scopes) {
        String id = "device-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType("application/json")
                .body(java.util.Map.of("client_id", id, "registration", java.util.Map.of("client_type", "public",
                        "grant_types", java.util.List.of(GRANT), "scopes", java.util.List.of(scopes))))
                .post("/admin/clients").then().statusCode(201);
        return id;
    }

    private static JsonPath deviceAuthorization(String clientId, String scope) {
        return given().contentType("application/x-www-form-urlencoded").formParam("client_id", clientId)
                .formParam("scope", scope).post("/oauth2/device_authorization")
                .then().statusCode(200).extract().jsonPath();
    }

    private static io.restassured.response.Response pollAs(String clientId, String deviceCode) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", GRANT)
                .formParam("client_id", clientId).formParam("device_code", deviceCode).post("/oauth2/token");
    }

    @Test
    void decisionAfterTheRequestExpiredThenRefusedAndNoKeyWithoutExpiryLeftBehind() {
        DeviceCodeStore.Issued issued = store.create(TestClients.DEVICE, "openid");
        DeviceCodeStore.Pending pending = store.pending(issued.userCode()).orElseThrow();
        // The request expires between the page's lookup and the person's decision.
        redis.key().del(pending.deviceKey());
        assertFalse(store.decide(pending, true, "someone", 0, System.currentTimeMillis()));
        assertFalse(redis.key().exists(pending.deviceKey()), "a decision must not re-create an expired request");
    }

    @Test
    void secondDecisionThenFirstStands() {
        DeviceCodeStore.Issued issued = store.create(TestClients.DEVICE, "openid");
        DeviceCodeStore.Pending pending = store.pending(issued.userCode()).orElseThrow();
        assertTrue(store.decide(pending, false, "someone", 0, System.currentTimeMillis()));
        assertFalse(store.decide(pending, true, "someone", 0, System.currentTimeMillis()));
        poll(issued.deviceCode()).then().statusCode(400).body("error", equalTo("access_denied"));
    }

    @Test
    void loginWhenNextIsForeignThenRefused() {
        given().get("/login?next=https://evil.example/").then().statusCode(400);
    }
}
