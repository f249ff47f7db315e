package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.refresh;
import static io.authsuite.auth.OAuthFlow.signIn;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.authsuite.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RefreshTokenGrantTest {

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    static String firstRefreshToken(String username, String password, String scope) {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce, null, null),
                username, password);
        return exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("refresh_token");
    }

    static String firstRefreshToken() {
        return firstRefreshToken(TestClients.USER, TestClients.password(TestClients.USER), "openid orders:read orders:write");
    }

    @Test
    void refreshThenNewAccessTokenAndRotatedRefreshToken() {
        String first = firstRefreshToken();
        String second = refresh(TestClients.SPA, first, null).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo("openid orders:read orders:write"))
                .body("refresh_token", not(equalTo(first)))
                .extract().path("refresh_token");
        refresh(TestClients.SPA, second, null).then().statusCode(200);
    }

    @Test
    void refreshWhenTokenReusedThenFamilyRevoked() {
        String first = firstRefreshToken();
        String second = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        refresh(TestClients.SPA, first, null).then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        // The successor dies with the family.
        refresh(TestClients.SPA, second, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshWhenScopeNarrowedThenNarrowAccessTokenButFamilyKeepsScope() {
        String first = firstRefreshToken();
        String second = refresh(TestClients.SPA, first, "orders:read").then().statusCode(200)
                .body("scope", equalTo("orders:read")).extract().path("refresh_token");
        refresh(TestClients.SPA, second, null).then().statusCode(200).body("scope", equalTo("openid orders:read orders:write"));
    }

    @Test
    void refreshWhenScopeWidenedThenInvalidScopeAndTokenStillUsable() {
        String first = firstRefreshToken(TestClients.USER, TestClients.password(TestClients.USER), "openid orders:read");
        refresh(TestClients.SPA, first, "orders:read orders:write").then().statusCode(400).body("error", equalTo("invalid_scope"));
        refresh(TestClients.SPA, first, null).then().statusCode(200);
    }

    @Test
    void refreshByAnotherClientThenInvalidGrantAndTokenNotConsumed() {
        String first = firstRefreshToken();
        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", first)
                .formParam("client_id", TestClients.THIRD)
                .formParam("client_secret", TestClients.secret(TestClients.THIRD))
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(TestClients.SPA, first, null).then().statusCode(200);
    }

    @Test
    void refreshByAnotherClientWithAScopeThenInvalidGrantAndNothingOfTheGrantTold() {
        String first = firstRefreshToken();
        // RFC 6749 §6: the scope is compared only with a grant of the client that asks. Were it compared first, the
        // answer (invalid_scope or not) would tell another client which scopes the token carries.
        for (String scope : List.of("orders:read", "admin:all")) {
            io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "refresh_token").formParam("refresh_token", first)
                    .formParam("scope", scope)
                    .formParam("client_id", TestClients.THIRD)
                    .formParam("client_secret", TestClients.secret(TestClients.THIRD))
                    .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        }
        refresh(TestClients.SPA, first, null).then().statusCode(200);
    }

    @Test
    void refreshWhenTokenReusedWithAWiderScopeThenFamilyRevoked() {
        String first = firstRefreshToken(TestClients.USER, TestClients.password(TestClients.USER), "openid orders:read");
        String second = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        // RFC 9700 §4.14.2: a consumed token is reuse whatever else the request asks; a wider scope must not turn
        // it into a harmless invalid_scope that leaves the family alive.
        refresh(TestClients.SPA, first, "openid orders:read orders:write").then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        refresh(TestClients.SPA, second, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshWhenTokenUnknownOrMalformedThenInvalidGrant() {
        refresh(TestClients.SPA, "B".repeat(43), null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(TestClients.SPA, "x".repeat(5000), null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", TestClients.SPA)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void refreshWhenUserDisabledThenInvalidGrant() {
        String name = "r-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("secret-pass"), name + "@example.test", name, Set.of("user"));
        String first = firstRefreshToken(name, "secret-pass", "openid orders:read");
        users.update(users.byUsername(name).orElseThrow().subject(), null, null, null, true, null);
        refresh(TestClients.SPA, first, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Inject
    io.authsuite.auth.store.RefreshTokenStore refreshTokens;

    @Test
    void refreshWhenUserRecordGoneThenInvalidGrantAndFamilyRevoked() {
        String name = "g-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("secret-pass"), name + "@example.test", name, Set.of("user"));
        String first = firstRefreshToken(name, "secret-pass", "openid orders:read");
        String second = refresh(TestClients.SPA, first, null).then().statusCode(200)
                .body("access_token", org.hamcrest.Matchers.notNullValue()).extract().path("refresh_token");
        // The user's record vanishes behind the store's back (a restore, an operator): the rotation still succeeds.
        redis.key().del("auth:user:" + users.byUsername(name).orElseThrow().subject());
        refresh(TestClients.SPA, second, null).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("the user is no longer active"));
        org.junit.jupiter.api.Assertions.assertTrue(refreshTokens.isRevoked(refreshTokens.familyOf(second).orElseThrow()));
    }

    @Inject
    io.authsuite.auth.store.RevocationStore revocations;

    /** A first grant's tokens: [access token's jti, refresh token]. */
    private static String[] firstGrant() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid orders:read", pkce, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        io.restassured.path.json.JsonPath tokens = exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT,
                pkce.verifier()).then().statusCode(200).extract().jsonPath();
        String jti = io.restassured.path.json.JsonPath.from(OAuthFlow.claims(tokens.getString("access_token")))
                .getString("jti");
        return new String[] {jti, tokens.getString("refresh_token")};
    }

    /** A family's key as the store lays it out: with the family as hash tag on Redis Cluster. */
    private static String familyKey(String family) {
        return io.authsuite.redis.KeyLayout.of(RedisTestResource.server().clustered()).group("auth:", family) + "rtf:"
                + family;
    }

    /**
     * What a reuse leaves behind when its request stops after the script revoked the family and before the family's
     * access tokens were denied (a 503 from the replica wait, Redis gone for a moment): the family says so.
     */
    private void revokedWithDenialPending(String refreshToken, String why) {
        String family = refreshTokens.familyOf(refreshToken).orElseThrow();
        redis.hash(String.class).hset(familyKey(family), Map.of("revoked", "1", "denyPending", why));
    }

    @Test
    void refreshWhenFamilyRevokedForReuseButItsAccessTokensNotYetDeniedThenThisRequestDeniesThem() {
        String[] grant = firstGrant();
        revokedWithDenialPending(grant[1], "reuse");
        org.junit.jupiter.api.Assertions.assertFalse(revocations.isTokenDenied(grant[0]));

        refresh(TestClients.SPA, grant[1], null).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        org.junit.jupiter.api.Assertions.assertTrue(revocations.isTokenDenied(grant[0]),
                "the thief's access token dies with the family, whoever presents a token of it next");
        String family = refreshTokens.familyOf(grant[1]).orElseThrow();
        org.junit.jupiter.api.Assertions.assertNull(redis.hash(String.class).hget(familyKey(family), "denyPending"));
    }

    @Test
    void revokeFamilyOfWhenAnEarlierRevocationStoppedBeforeDenyingThenItIsFinishedNotRefusedAsDone() {
        String[] grant = firstGrant();
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();
        String family = refreshTokens.familyOf(grant[1]).orElseThrow();
        revokedWithDenialPending(grant[1], "revoke");

        org.junit.jupiter.api.Assertions.assertTrue(refreshTokens.revokeFamilyOf(subject, family));
        org.junit.jupiter.api.Assertions.assertTrue(revocations.isTokenDenied(grant[0]));
        org.junit.jupiter.api.Assertions.assertFalse(refreshTokens.revokeFamilyOf(subject, family),
                "finished: a second request has nothing left to do");
    }

    @Test
    void refreshWhenFamilyHasRotatedAsOftenAsItMayThenInvalidGrantAndNothingMoreStored() {
        String[] grant = firstGrant();
        String family = refreshTokens.familyOf(grant[1]).orElseThrow();
        // The default cap: twice the family's 30 days in 15-minute access tokens.
        redis.hash(String.class).hset(familyKey(family), "rotations", Integer.toString(2 * 30 * 24 * 4 - 1));
        String last = refresh(TestClients.SPA, grant[1], null).then().statusCode(200).extract().path("refresh_token");
        String current = redis.hash(String.class).hget(familyKey(family), "current");

        refresh(TestClients.SPA, last, null).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("sign in again"));
        assertEquals(current, redis.hash(String.class).hget(familyKey(family), "current"), "no successor");
        assertEquals("5760", redis.hash(String.class).hget(familyKey(family), "rotations"));
    }

    @Test
    void refreshWhenGrantHoldsAScopeTheClientMayNoLongerRequestThenItIsLeftOutOfTheNewAccessToken() {
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();
        // Granted when the client could still ask for it; "reports:export" is no longer among its scopes.
        String token = refreshTokens.start(TestClients.SPA, subject, "openid orders:read reports:export", null,
                java.time.Instant.now().getEpochSecond()).token();
        String access = refresh(TestClients.SPA, token, null).then().statusCode(200)
                .body("scope", equalTo("openid orders:read")).extract().path("access_token");
        assertEquals("openid orders:read",
                io.restassured.path.json.JsonPath.from(OAuthFlow.claims(access)).getString("scope"));
    }

    @Test
    void refreshWhenRotatedTwiceThenFamilyCountsTwoRotationsAndNamesTheNewToken() {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("secret-pass"), name + "@example.test", name, Set.of("user"));
        String first = firstRefreshToken(name, "secret-pass", "openid orders:read");
        String subject = users.byUsername(name).orElseThrow().subject();
        assertEquals(0, refreshTokens.activeFamilies(subject).get(0).rotations());
        String second = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        String third = refresh(TestClients.SPA, second, null).then().statusCode(200).extract().path("refresh_token");

        var families = refreshTokens.activeFamilies(subject);
        assertEquals(1, families.size());
        assertEquals(2, families.get(0).rotations());
        assertEquals(refreshTokens.familyOf(third).orElseThrow(), families.get(0).id());
        // The family names the newest token as its current one: presenting it rotates again.
        String fourth = refresh(TestClients.SPA, third, null).then().statusCode(200).extract().path("refresh_token");
        assertEquals(3, refreshTokens.activeFamilies(subject).get(0).rotations());
        assertNotEquals(third, fourth);
    }

    @Test
    void refreshConcurrentlyWithOneTokenThenExactlyOneSuccess() throws Exception {
        String token = firstRefreshToken();
        int callers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return refresh(TestClients.SPA, token, null).statusCode();
                }));
            }
            start.countDown();
            int ok = 0;
            int refused = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                if (status == 200) {
                    ok++;
                } else if (status == 400) {
                    refused++;
                }
            }
            assertEquals(1, ok);
            assertEquals(callers - 1, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clientCredentialsNeverReturnRefreshTokens() {
        String body = TokenRequests.asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().asString();
        assertNotEquals(-1, body.indexOf("access_token"));
        assertEquals(-1, body.indexOf("refresh_token"));
    }

    @Test
    void refreshWhenRedisDropsTheConnectionsThenLaterRefreshesReconnect() throws InterruptedException {
        String token = firstRefreshToken();
        // Rotations share one pipelined connection per event loop (EventLoopRedis.pipelined): open them, then have
        // Redis close every connection of the service, as a restart or a proxy's idle timeout would.
        for (int i = 0; i < 4; i++) {
            token = refresh(TestClients.SPA, token, null).then().statusCode(200).extract().path("refresh_token");
        }
        String killed = RedisTestResource.server().command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        assertNotEquals(":0", killed);
        // The closes reach the event loops as soon as they read them; give them that moment (a second: the machine
        // may be busy), then no refresh may fail.
        Thread.sleep(1_000);
        for (int i = 0; i < 6; i++) {
            token = refresh(TestClients.SPA, token, null).then().statusCode(200).extract().path("refresh_token");
        }
    }
}
