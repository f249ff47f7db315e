package io.authsuite.auth.users;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Changes that can take an admin away, racing each other across replicas: serialised, and refused when their actor
 * lost the role meanwhile. In-process only (it writes to the store directly), so apart from {@code UsersResourceTest},
 * which also runs against the packaged application.
 */
@QuarkusTest
class AdminChangeRaceTest {

    private static String token(String user, String scope) {
        return OAuthFlow.userToken(user, scope);
    }

    @jakarta.inject.Inject
    io.authsuite.auth.users.UserStore users;

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    /** A user created through the API by the test admin; returns its subject. */
    private static String created(String admin, String name, String roles) {
        return given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"roles\":" + roles + "}")
                .post("/admin/users").then().statusCode(201).extract().path("subject");
    }

    @Test
    void adminWhenDemotedWhileTheirChangeWaitsThenChangeRefusedAndTargetUntouched() {
        String admin = token(TestClients.ADMIN, "openid users:manage");
        String name = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        String second = created(admin, name, "[\"user\",\"admin\"]");
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid users:manage", pkce, null, null), name, "long-enough-pw");
        String secondToken = exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
        String target = created(admin, "t-" + UUID.randomUUID().toString().substring(0, 8), "[\"user\"]");
        // Another admin's demotion of this one landed between their token check and their own change (written to the
        // store directly, so that their token is still accepted, as in that moment of a race).
        users.update(second, null, null, java.util.Set.of("user"), null, null);
        given().auth().oauth2(secondToken).contentType("application/json").body("{\"disabled\":true}")
                .patch("/admin/users/" + target).then().statusCode(403).body("error", equalTo("access_denied"));
        given().auth().oauth2(secondToken).delete("/admin/users/" + target).then().statusCode(403);
        given().auth().oauth2(admin).get("/admin/users/" + target).then().statusCode(200)
                .body("disabled", equalTo(false));
    }

    @Test
    void adminChangeWhenAnotherReplicaHoldsTheAdminChangeLockThenUnavailableAndLockKept() {
        String admin = token(TestClients.ADMIN, "openid users:manage");
        String target = created(admin, "t-" + UUID.randomUUID().toString().substring(0, 8), "[\"user\"]");
        redis.value(String.class).psetex("auth:users:admin-change-lock", 30_000, "other-replica");
        try {
            given().auth().oauth2(admin).contentType("application/json").body("{\"roles\":[]}")
                    .patch("/admin/users/" + target).then().statusCode(503)
                    .body("error", equalTo("temporarily_unavailable"));
            org.junit.jupiter.api.Assertions.assertEquals("other-replica",
                    redis.value(String.class).get("auth:users:admin-change-lock"));
            // A change that takes no admin away does not wait for the lock.
            given().auth().oauth2(admin).contentType("application/json").body("{\"name\":\"T\"}")
                    .patch("/admin/users/" + target).then().statusCode(200);
        } finally {
            redis.key().del("auth:users:admin-change-lock");
        }
        given().auth().oauth2(admin).get("/admin/users/" + target).then().statusCode(200)
                .body("roles", org.hamcrest.Matchers.hasItem("user"));
    }

    @Test
    void updateWhenUserDeletedMeanwhileThenNotFoundAndNoPartialRecordLeft() {
        String admin = token(TestClients.ADMIN, "openid users:manage");
        String subject = created(admin, "gone-" + UUID.randomUUID().toString().substring(0, 8), "[\"user\"]");
        // The PATCH that read the user before this DELETE writes afterwards: it must not bring back a record.
        org.junit.jupiter.api.Assertions.assertTrue(users.delete(subject));

        org.junit.jupiter.api.Assertions.assertTrue(users.update(subject, "late@example.com", null, null, true, null)
                .isEmpty());
        org.junit.jupiter.api.Assertions.assertEquals(0, redis.key().exists("auth:user:" + subject) ? 1 : 0,
                "no record holding only the late fields");
        given().auth().oauth2(admin).contentType("application/json").body("{\"email\":\"late@example.com\"}")
                .patch("/admin/users/" + subject).then().statusCode(404);
    }
}
