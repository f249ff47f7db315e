package io.authsuite.auth.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.token.TokenRequests;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Each security event appears, with the right fields, after the action that causes it (issue 15). */
@QuarkusTest
class AuditTrailTest {

    @Inject
    AuditLog audit;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    AuditEvent latest(String type, Predicate<AuditEvent> which) {
        return AuditAssertions.latest(audit, type, which);
    }

    /** What every event of a request carries. */
    static void fromARequest(AuditEvent event) {
        assertNotNull(event.id());
        assertNotNull(event.time());
        assertNotNull(event.address(), "the caller's address");
        assertNotNull(event.requestId(), "the request id");
    }

    String freshUser(String password) {
        String name = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash(password), name + "@example.test", name, Set.of("user"));
        return name;
    }

    @Test
    void signInSucceededAndFailedThenEventsWithUsernameNeverPassword() {
        String name = freshUser("audit-password-1");
        var params = OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(),
                null, null);
        OAuthFlow.submitLogin(OAuthFlow.path(OAuthFlow.authorize(params, null).getHeader("Location")), name,
                "not-the-password");
        AuditEvent failed = latest(AuditTypes.SIGN_IN, e -> name.equals(e.details().get("username")));
        assertEquals(AuditEvent.FAILURE, failed.outcome());
        assertEquals("invalid username or password", failed.reason());
        assertEquals(TestClients.SPA, failed.client());
        assertNull(failed.subject(), "no subject for a failed sign-in");
        fromARequest(failed);

        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(params, name, "audit-password-1");
        assertNotNull(signedIn.code());
        String subject = users.byUsername(name).orElseThrow().subject();
        AuditEvent succeeded = latest(AuditTypes.SIGN_IN, e -> subject.equals(e.subject()));
        assertEquals(AuditEvent.SUCCESS, succeeded.outcome());
        assertEquals(TestClients.SPA, succeeded.client());
    }

    @Test
    void tokensIssuedThenEventPerGrantWithScopesAndJtiNeverTheToken() {
        String token = given().header("Authorization", TokenRequests.basic(TestClients.SERVICE,
                        TestClients.secret(TestClients.SERVICE)))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read").post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
        String jti = JsonPath.from(OAuthFlow.claims(token)).getString("jti");
        AuditEvent issued = latest(AuditTypes.TOKEN_ISSUED, e -> jti.equals(e.details().get("jti")));
        assertEquals(AuditEvent.SUCCESS, issued.outcome());
        assertEquals(TestClients.SERVICE, issued.client());
        assertEquals(TestClients.SERVICE, issued.subject());
        assertEquals(Map.of("grant_type", "client_credentials", "scope", "orders:read", "jti", jti),
                issued.details());
        fromARequest(issued);
    }

    @Test
    void refreshRotatedAndReusedThenEventsNamingTheFamily() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA,
                TestClients.SPA_REDIRECT, "openid orders:read", pkce, null, null), TestClients.USER,
                TestClients.password(TestClients.USER));
        JsonPath tokens = OAuthFlow.exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT,
                pkce.verifier()).then().statusCode(200).extract().jsonPath();
        String first = tokens.getString("refresh_token");
        String family = first.substring(0, first.indexOf('.'));
        OAuthFlow.refresh(TestClients.SPA, first, null).then().statusCode(200);
        AuditEvent rotated = latest(AuditTypes.REFRESH_ROTATED, e -> family.equals(e.details().get("family")));
        assertEquals(TestClients.SPA, rotated.client());
        assertNotNull(rotated.subject());

        OAuthFlow.refresh(TestClients.SPA, first, null).then().statusCode(400);
        AuditEvent reused = latest(AuditTypes.REFRESH_REUSE, e -> family.equals(e.details().get("family")));
        assertEquals(AuditEvent.FAILURE, reused.outcome());
        assertNotNull(reused.reason());
        // Found by the person's subject too, as every other event of theirs is.
        assertEquals(rotated.subject(), reused.subject());

        String second = OAuthFlow.exchange(TestClients.SPA, OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA,
                        TestClients.SPA_REDIRECT, "openid orders:read", pkce, null, null), TestClients.USER,
                        TestClients.password(TestClients.USER)).code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("refresh_token");
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.SPA)
                .formParam("token", second).post("/oauth2/revoke").then().statusCode(200);
        String secondFamily = second.substring(0, second.indexOf('.'));
        AuditEvent revoked = latest(AuditTypes.REVOCATION, e -> secondFamily.equals(e.details().get("family")));
        assertEquals(rotated.subject(), revoked.subject());
    }

    @Test
    void revocationAndLogoutEverywhereThenEvents() {
        String token = OAuthFlow.userToken(TestClients.USER, "openid orders:read");
        String jti = JsonPath.from(OAuthFlow.claims(token)).getString("jti");
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.SPA)
                .formParam("token", token).post("/oauth2/revoke").then().statusCode(200);
        AuditEvent revoked = latest(AuditTypes.REVOCATION, e -> jti.equals(e.details().get("jti")));
        assertEquals(TestClients.SPA, revoked.client());
        assertEquals("access_token", revoked.details().get("token_type"));

        // Another client's token: refused, and the attempt is on the record.
        String others = OAuthFlow.userToken(TestClients.USER, "openid orders:read");
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.PUBLIC)
                .formParam("token", others).post("/oauth2/revoke").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("unauthorized_client"));
        AuditEvent refused = latest(AuditTypes.REVOCATION, e -> TestClients.PUBLIC.equals(e.client())
                && AuditEvent.FAILURE.equals(e.outcome()));
        assertEquals("access_token", refused.details().get("token_type"));

        String name = freshUser("audit-password-2");
        String subject = users.byUsername(name).orElseThrow().subject();
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA,
                TestClients.SPA_REDIRECT, "openid", pkce, null, null), name, "audit-password-2");
        String own = OAuthFlow.exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(own).post("/account/logout-everywhere").then().statusCode(204);
        assertEquals(AuditEvent.SUCCESS, latest(AuditTypes.LOGOUT_EVERYWHERE, e -> subject.equals(e.subject()))
                .outcome());
    }

    @Test
    void clientAuthenticationFailedThenEventWithClaimedClientAndReason() {
        String client = "who-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TokenRequests.basic(client, "a-wrong-secret"))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401);
        AuditEvent failed = latest(AuditTypes.CLIENT_AUTHENTICATION, e -> client.equals(e.client()));
        assertEquals(AuditEvent.FAILURE, failed.outcome());
        assertEquals("client authentication failed", failed.reason());
        fromARequest(failed);
    }

    @Test
    void adminChangesToUsersAndClientsThenEventsNamingAdminAndTarget() {
        String admin = OAuthFlow.userToken(TestClients.ADMIN, "openid users:manage clients:manage");
        String adminSubject = JsonPath.from(OAuthFlow.claims(admin)).getString("sub");
        String name = "made-" + UUID.randomUUID().toString().substring(0, 8);
        String created = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("username", name, "password", "a-long-enough-password-1"))
                .post("/admin/users").then().statusCode(201).extract().path("subject");
        AuditEvent userChange = latest(AuditTypes.ADMIN_USER_CHANGE, e -> created.equals(e.details().get("user")));
        assertEquals(adminSubject, userChange.subject());
        assertEquals("create", userChange.details().get("action"));
        assertEquals("user", userChange.details().get("roles_after"));

        // A grant of a role is a change of privilege: the record says which roles before and after, and what else the
        // same request changed.
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("roles", List.of("user", "admin"), "password", "another-long-password-2"))
                .patch("/admin/users/" + created).then().statusCode(200);
        AuditEvent promoted = latest(AuditTypes.ADMIN_USER_CHANGE, e -> created.equals(e.details().get("user"))
                && "reset_password".equals(e.details().get("action")));
        assertEquals("user", promoted.details().get("roles_before"));
        assertEquals("admin user", promoted.details().get("roles_after"));
        assertEquals("true", promoted.details().get("password_reset"));

        String client = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("client_id", client, "registration", Map.of("grant_types", List.of("client_credentials"),
                        "scopes", List.of("orders:read"))))
                .post("/admin/clients").then().statusCode(201);
        given().auth().oauth2(admin).post("/admin/clients/" + client + "/disable").then().statusCode(200);
        AuditEvent disabled = latest(AuditTypes.ADMIN_CLIENT_CHANGE,
                e -> client.equals(e.client()) && "disable".equals(e.details().get("action")));
        assertEquals(adminSubject, disabled.subject());
        latest(AuditTypes.ADMIN_CLIENT_CHANGE, e -> client.equals(e.client()) && "create".equals(e.details().get("action")));
    }

    @Test
    void eventsEndpointThenFiltersPagesAndNeedsAuditRead() {
        String client = "paged-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", TokenRequests.basic(client, "wrong-" + i))
                    .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                    .post("/oauth2/token").then().statusCode(401);
        }
        audit.flush();
        String reader = OAuthFlow.userToken(TestClients.ADMIN, "openid audit:read");
        JsonPath first = given().auth().oauth2(reader).queryParam("type", AuditTypes.CLIENT_AUTHENTICATION)
                .queryParam("client", client).queryParam("limit", 2).get("/admin/events")
                .then().statusCode(200)
                .body("events", hasSize(2))
                .body("events.client", everyItem(equalTo(client)))
                .body("next", notNullValue())
                .extract().jsonPath();
        given().auth().oauth2(reader).queryParam("client", client).queryParam("limit", 2)
                .queryParam("before", first.getString("next")).get("/admin/events")
                .then().statusCode(200).body("events", hasSize(1));
        given().auth().oauth2(reader).queryParam("client", client).queryParam("from", "2999-01-01T00:00:00Z")
                .get("/admin/events").then().statusCode(200).body("events", hasSize(0));

        given().auth().oauth2(reader).queryParam("type", "no_such_type").get("/admin/events").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().auth().oauth2(reader).queryParam("from", "yesterday").get("/admin/events").then().statusCode(400);
        given().auth().oauth2(reader).queryParam("limit", 5000).get("/admin/events").then().statusCode(400);
        // Not a number: 400 naming the rule (Quarkus REST alone answers 404), and only once a token was checked.
        for (String limit : List.of("abc", "1.5", "2147483648")) {
            given().auth().oauth2(reader).queryParam("limit", limit).get("/admin/events").then().statusCode(400)
                    .body("error_description", equalTo("limit must be 1 to 200"));
            given().queryParam("limit", limit).get("/admin/events").then().statusCode(401);
        }
        given().auth().oauth2(reader).queryParam("limit", 1).queryParam("limit", 2).get("/admin/events").then()
                .statusCode(400).body("error_description", equalTo("parameter 'limit' is repeated"));
        given().auth().oauth2(reader).queryParam("before", "x; drop").get("/admin/events").then().statusCode(400);
        String userToken = OAuthFlow.userToken(TestClients.USER, "openid audit:read");
        given().auth().oauth2(userToken).get("/admin/events").then().statusCode(403);
        String noScope = OAuthFlow.userToken(TestClients.ADMIN, "openid users:manage");
        given().auth().oauth2(noScope).get("/admin/events").then().statusCode(403);
        given().get("/admin/events").then().statusCode(401);
    }

    @Test
    void eventsWhenCursorOrInstantOutsideWhatAStreamIdHoldsThenInvalidRequestNotServerError() {
        String reader = OAuthFlow.userToken(TestClients.ADMIN, "openid audit:read");
        List<List<String>> outside = List.of(
                List.of("from", "1969-12-31T23:59:59Z"), List.of("to", "1969-12-31T23:59:59Z"),
                List.of("from", "+300000000-01-01T00:00:00Z"), List.of("to", "+300000000-01-01T00:00:00Z"),
                List.of("before", "0-0"), List.of("before", "99999999999999999999-0"),
                List.of("before", "1-99999999999999999999"));
        for (List<String> p : outside) {
            given().auth().oauth2(reader).queryParam(p.get(0), p.get(1)).get("/admin/events")
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }
        // The edges that are stream ids still page.
        given().auth().oauth2(reader).queryParam("before", "0-1").get("/admin/events")
                .then().statusCode(200).body("events", hasSize(0));
        given().auth().oauth2(reader).queryParam("before", "18446744073709551615-0").get("/admin/events")
                .then().statusCode(200);
        given().auth().oauth2(reader).queryParam("from", "1970-01-01T00:00:00Z").get("/admin/events")
                .then().statusCode(200);
    }

    @Test
    void requestIdWhenGivenThenEchoedAndRecorded() {
        String requestId = "support-" + UUID.randomUUID().toString().substring(0, 8);
        String client = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-Request-Id", requestId).header("Authorization", TokenRequests.basic(client, "nope"))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401).header("X-Request-Id", requestId);
        assertEquals(requestId, latest(AuditTypes.CLIENT_AUTHENTICATION, e -> client.equals(e.client())).requestId());
        // A made-up id that could forge log structure is replaced, not recorded.
        String forged = given().header("X-Request-Id", "x\" \"injected").get("/.well-known/openid-configuration")
                .then().statusCode(200).extract().header("X-Request-Id");
        assertFalse(forged.contains("\""));
        assertTrue(forged.length() > 0);
    }
}
