package io.authsuite.auth.users;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A delete whose logout fails part-way. In-process only: the failure is a real Redis error, made by giving the
 * person's session index the wrong type for the length of one call.
 */
@QuarkusTest
class UserDeleteFailureTest {

    @Inject
    UserManagement management;

    @Inject
    UserStore users;

    @Inject
    RedisDataSource redis;

    @Test
    void deleteWhenLogoutFailsThenUserKeptDisabledWithNothingUsableAndRetryDeletes() throws InterruptedException {
        String admin = OAuthFlow.userToken(TestClients.ADMIN, "openid users:manage");
        String name = "del-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"roles\":[\"user\"]}")
                .post("/admin/users").then().statusCode(201).extract().path("subject");
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid orders:read", pkce, null, null), name, "long-enough-pw");
        io.restassured.path.json.JsonPath tokens = exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT,
                pkce.verifier()).then().statusCode(200).extract().jsonPath();
        String refreshToken = tokens.getString("refresh_token");
        String accessToken = tokens.getString("access_token");
        given().auth().oauth2(accessToken).get("/oauth2/userinfo").then().statusCode(200);
        // The person-wide cut-off leaves out the last second (iat's resolution): a token from before it is refused.
        Thread.sleep(1100);

        String index = "auth:subject-sessions:" + subject;
        Set<String> sessions = redis.set(String.class).smembers(index);
        redis.key().del(index);
        redis.value(String.class).set(index, "wrong type");
        try {
            String adminSubject = users.byUsername(TestClients.ADMIN).orElseThrow().subject();
            assertThrows(RuntimeException.class, () -> management.delete(adminSubject, subject));
        } finally {
            redis.key().del(index);
            redis.set(String.class).sadd(index, sessions.toArray(String[]::new));
        }

        assertTrue(users.bySubject(subject).orElseThrow().disabled(), "kept for the retry, and disabled");
        // Nothing of theirs is usable meanwhile: the refresh token (the user is disabled), the access token (refused).
        OAuthFlow.refresh(TestClients.SPA, refreshToken, null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        given().auth().oauth2(accessToken).get("/oauth2/userinfo").then().statusCode(401);
        given().auth().oauth2(admin).delete("/admin/users/" + subject).then().statusCode(204);
        given().auth().oauth2(admin).get("/admin/users/" + subject).then().statusCode(404);
        assertTrue(redis.set(String.class).smembers(index).isEmpty(), "the retry ended the sessions");
    }
}
