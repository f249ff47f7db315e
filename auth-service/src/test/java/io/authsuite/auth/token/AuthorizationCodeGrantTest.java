package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.refresh;
import static io.authsuite.auth.OAuthFlow.signIn;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.AuthorizationCodeStore;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.store.RefreshTokenStore;
import io.authsuite.auth.users.UserStore;
import io.authsuite.redis.DurableWrites;
import io.authsuite.redis.KeyLayout;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthorizationCodeGrantTest {

    @Inject
    UserStore users;

    @Inject
    TokenRevocation revocation;

    @Inject
    RefreshTokenStore refreshTokens;

    // What a stand-in AuthorizationCodeStore is built from: the very beans the real one has.
    @Inject
    RedisDataSource redis;

    @Inject
    OpaqueTokens opaqueTokens;

    @Inject
    ObjectMapper json;

    @Inject
    AuthConfig config;

    @Inject
    KeyLayout layout;

    @Inject
    DurableWrites durable;

    @Inject
    io.authsuite.auth.authorize.AuthorizationFlow authorizationFlow;

    @Inject
    io.authsuite.auth.authorize.PendingRequests pendingRequests;

    @Inject
    io.authsuite.auth.store.SessionStore sessions;

    @Inject
    io.authsuite.auth.store.RevocationStore revocations;

    private record Flow(Pkce pkce, OAuthFlow.SignedIn signedIn) {
    }

    private static Flow signedIn(String scope, String nonce) {
        Pkce pkce = Pkce.create();
        return new Flow(pkce, signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce, "st", nonce),
                TestClients.USER, TestClients.password(TestClients.USER)));
    }

    static JwtClaims verify(String jwt, String expectedAudience) throws Exception {
        String jwks = RestAssured.get("/oauth2/jwks").asString();
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("https://auth.test")
                .setExpectedAudience(expectedAudience)
                .setRequireExpirationTime()
                .build().processToClaims(jwt);
    }

    @Test
    void codeWithRightVerifierThenAccessRefreshAndIdToken() throws Exception {
        Flow flow = signedIn("openid profile email orders:read", "nonce-123");
        JsonPath body = exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, flow.pkce().verifier())
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("refresh_token", notNullValue())
                .body("id_token", notNullValue())
                .body("scope", equalTo("email openid orders:read profile"))
                .extract().jsonPath();
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();

        JwtClaims access = verify(body.getString("access_token"), "orders-service");
        assertEquals(subject, access.getSubject());
        assertTrue(access.getAudience().contains("https://auth.test"));
        assertEquals(TestClients.SPA, access.getClaimValueAsString("client_id"));
        assertEquals(List.of("user"), access.getStringListClaimValue("groups"));
        assertFalse(access.hasClaim("email"), "no personal data in access tokens");

        JwtClaims id = verify(body.getString("id_token"), TestClients.SPA);
        assertEquals(subject, id.getSubject());
        assertEquals("nonce-123", id.getClaimValueAsString("nonce"));
        assertTrue(id.hasClaim("auth_time"));
        assertEquals(TestClients.USER + "@example.test", id.getClaimValueAsString("email"));
        assertEquals("Test " + TestClients.USER, id.getClaimValueAsString("name"));
        assertEquals("JWT", JsonWebSignature.fromCompactSerialization(body.getString("id_token")).getHeader("typ"));
        assertTrue(body.getString("refresh_token").length() >= 43, "refresh tokens carry 256 random bits");
    }

    @Test
    void idTokenWithoutProfileOrEmailScopesHasNoPersonalClaims() throws Exception {
        Flow flow = signedIn("openid orders:read", null);
        String idToken = exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, flow.pkce().verifier())
                .then().statusCode(200).extract().path("id_token");
        JwtClaims id = verify(idToken, TestClients.SPA);
        assertFalse(id.hasClaim("email"));
        assertFalse(id.hasClaim("name"));
        assertFalse(id.hasClaim("nonce"));
    }

    @Test
    void codeWithoutOpenidScopeThenNoIdToken() {
        Flow flow = signedIn("orders:read", null);
        exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, flow.pkce().verifier())
                .then().statusCode(200).body("id_token", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void codeWithWrongVerifierThenInvalidGrant() {
        Flow flow = signedIn("openid", null);
        exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, Pkce.create().verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("code_challenge"));
    }

    @Test
    void codeWithoutVerifierThenInvalidGrant() {
        Flow flow = signedIn("openid", null);
        exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, null)
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeWithMalformedVerifierThenInvalidGrant() {
        Flow flow = signedIn("openid", null);
        exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, "short")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeVerifierWithoutChallengeIsADowngrade() {
        assertEquals("invalid_grant", org.junit.jupiter.api.Assertions.assertThrows(OAuthError.class,
                () -> io.authsuite.auth.token.grant.AuthorizationCodeGrantTestAccess.checkPkce(null, Pkce.create().verifier())).error());
    }

    @Test
    void codeWithOtherRedirectUriThenInvalidGrant() {
        Flow flow = signedIn("openid", null);
        exchange(TestClients.SPA, flow.signedIn().code(), "http://127.0.0.1:9999/other", flow.pkce().verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeRedeemedByOtherClientThenInvalidGrant() {
        Flow flow = signedIn("openid", null);
        exchange(TestClients.PUBLIC, flow.signedIn().code(), TestClients.SPA_REDIRECT, flow.pkce().verifier())
                .then().statusCode(400).body("error", org.hamcrest.Matchers.anyOf(equalTo("invalid_grant"), equalTo("unauthorized_client")));
    }

    @Test
    void codeReplayedThenInvalidGrantAndTokensFromFirstUseRevoked() {
        Flow flow = signedIn("openid orders:read", null);
        String refreshToken = exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, flow.pkce().verifier())
                .then().statusCode(200).extract().path("refresh_token");
        exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, flow.pkce().verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        refresh(TestClients.SPA, refreshToken, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeReplayedByClientWithoutRefreshTokensThenItsAccessTokenRevoked() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signed = signIn(authorizeParams(TestClients.PUBLIC, TestClients.SPA_REDIRECT, "orders:read",
                pkce, "st", null), TestClients.USER, TestClients.password(TestClients.USER));
        JsonPath first = exchange(TestClients.PUBLIC, signed.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        assertNull(first.getString("refresh_token"));
        String access = first.getString("access_token");
        introspect(access).body("active", equalTo(true));
        exchange(TestClients.PUBLIC, signed.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
        // RFC 6749 §4.1.2: the tokens of the first use are revoked; here that is the access token alone.
        introspect(access).body("active", equalTo(false));
    }

    private Set<String> activeFamilies(String clientId) {
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();
        return refreshTokens.activeFamilies(subject).stream().filter(f -> f.clientId().equals(clientId))
                .map(RefreshTokenStore.ActiveFamily::id).collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void codeReplayedWhileFirstRedemptionUnderWayThenBothRefusedAndItsFamilyRevoked() {
        Flow flow = signedIn("openid orders:read", null);
        String code = flow.signedIn().code();
        Set<String> familiesBefore = activeFamilies(TestClients.SPA);
        AtomicReference<Response> replay = new AtomicReference<>();
        // The store as it is, but the replay comes the moment the first redemption has spent the code, before that
        // redemption has recorded what it issues.
        QuarkusMock.installMockForType(new AuthorizationCodeStore(redis, opaqueTokens, json, config, layout, durable) {
            @Override
            public Redemption redeem(String redeemed) {
                Redemption redemption = super.redeem(redeemed);
                if (redeemed.equals(code) && redemption.grant().isPresent()) {
                    replay.set(exchange(TestClients.SPA, code, TestClients.SPA_REDIRECT, flow.pkce().verifier()));
                }
                return redemption;
            }
        }, AuthorizationCodeStore.class);

        Response first = exchange(TestClients.SPA, code, TestClients.SPA_REDIRECT, flow.pkce().verifier());

        replay.get().then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        // RFC 6749 §4.1.2: nothing issued from the code survives the replay: the first redemption hands nothing out,
        // and the refresh-token family it had begun is revoked.
        first.then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        Set<String> begun = activeFamilies(TestClients.SPA);
        begun.removeAll(familiesBefore);
        assertEquals(Set.of(), begun, "a family begun from the replayed code is still active");
    }

    @Test
    void codeRedeemedTwiceConcurrentlyThenWheneverOneIsRefusedTheOthersTokensAreRevoked() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                Flow flow = signedIn("openid orders:read", null);
                CountDownLatch start = new CountDownLatch(1);
                Callable<Response> redeem = () -> {
                    start.await();
                    return exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT,
                            flow.pkce().verifier());
                };
                Future<Response> one = pool.submit(redeem);
                Future<Response> other = pool.submit(redeem);
                start.countDown();
                List<Response> answers = List.of(one.get(30, TimeUnit.SECONDS), other.get(30, TimeUnit.SECONDS));
                List<Response> won = answers.stream().filter(r -> r.statusCode() == 200).toList();
                assertTrue(won.size() <= 1, "a code redeemed twice");
                for (Response answer : answers) {
                    if (answer.statusCode() != 200) {
                        answer.then().statusCode(400).body("error", equalTo("invalid_grant"));
                    }
                }
                for (Response winner : won) {
                    // The other was refused: what the winner got is revoked, whenever the replay came.
                    refresh(TestClients.SPA, winner.path("refresh_token"), null).then().statusCode(400)
                            .body("error", equalTo("invalid_grant"));
                    introspect(winner.path("access_token")).body("active", equalTo(false));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void codeIssuedThenLogOutEverywhereThenExchangeRefused() {
        Flow flow = signedIn("openid orders:read", null);
        revocation.logoutEverywhere(users.byUsername(TestClients.USER).orElseThrow().subject());
        exchange(TestClients.SPA, flow.signedIn().code(), TestClients.SPA_REDIRECT, flow.pkce().verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("withdrawn"));
        // A sign-in after the withdrawal works as before.
        Flow again = signedIn("openid orders:read", null);
        exchange(TestClients.SPA, again.signedIn().code(), TestClients.SPA_REDIRECT, again.pkce().verifier())
                .then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void codeWhenItsSessionWasReadBeforeLogOutEverywhereThenExchangeRefused() {
        // The race: the authorization endpoint reads the session, "log out everywhere" deletes it and withdraws the
        // grants, and only then is the code written. Forced here by calling the flow's last step with the session as
        // it was read before the logout.
        String subject = users.byUsername(TestClients.USER).orElseThrow().subject();
        io.authsuite.auth.store.SessionStore.LoginSession made = sessions.create(subject);
        io.authsuite.auth.store.SessionStore.LoginSession read = sessions.find(made.id()).orElseThrow();
        revocation.logoutEverywhere(subject);
        Pkce pkce = Pkce.create();
        var request = new io.authsuite.auth.authorize.AuthorizationRequest(TestClients.SPA, TestClients.SPA_REDIRECT,
                java.util.Set.of("openid", "orders:read"), "st", pkce.challenge(), null, "", -1, 0, null, null);
        jakarta.ws.rs.core.Response answer = authorizationFlow.finish(pendingRequests.save(request), request, read);
        String code = OAuthFlow.query(answer.getLocation().toString()).get("code");
        org.junit.jupiter.api.Assertions.assertNotNull(code, "the flow issues a code: the session object it was given is still alive to it");
        exchange(TestClients.SPA, code, TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("withdrawn"));
    }

    @Test
    void familyRevokedOrRolesChangedBeforeItsFirstAccessTokenIsSignedThenThatTokenDenied() {
        // The race: a code redemption writes its family, "log out everywhere" or a change of roles reads the family's
        // access tokens, and only then is the access token signed. The code grant hands the token's jti to the start
        // of the family, so that any read of the family finds it.
        String subject = "s-" + java.util.UUID.randomUUID();
        long exp = java.time.Instant.now().plusSeconds(900).getEpochSecond();
        String loggedOut = java.util.UUID.randomUUID().toString();
        refreshTokens.start(TestClients.SPA, subject, "openid", null, 0, null, loggedOut, exp);
        assertEquals(1, refreshTokens.revokeSubject(subject));
        assertTrue(revocations.isTokenDenied(loggedOut), "log out everywhere reaches a token not yet signed");

        String demoted = java.util.UUID.randomUUID().toString();
        refreshTokens.start(TestClients.SPA, subject, "openid", null, 0, null, demoted, exp);
        refreshTokens.denyAccessTokensOfSubject(subject);
        assertTrue(revocations.isTokenDenied(demoted), "a change of roles reaches a token not yet signed");
    }

    @Test
    void accessTokenOfAClientWithoutRefreshTokensThenLogOutEverywhereDeniesItByItsJti() throws Exception {
        // Such a token joins no family, and the person-wide cut-off leaves out the last second (a sign-in right after
        // must not be caught): the grant records it under the person before signing, and the logout reads that record.
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signed = signIn(authorizeParams(TestClients.PUBLIC, TestClients.SPA_REDIRECT, "orders:read",
                pkce, "st", null), TestClients.USER, TestClients.password(TestClients.USER));
        String access = exchange(TestClients.PUBLIC, signed.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
        String jti = new org.jose4j.jwt.consumer.JwtConsumerBuilder().setSkipAllValidators()
                .setDisableRequireSignature().setSkipSignatureVerification().build().processToClaims(access).getJwtId();
        revocation.logoutEverywhere(users.byUsername(TestClients.USER).orElseThrow().subject());
        assertTrue(revocations.isTokenDenied(jti), "denied by its jti, whatever second it was signed in");
        introspect(access).body("active", equalTo(false));
    }

    @Test
    void accessTokenOutsideAFamilyRecordedBeforeItIsSignedThenLogOutEverywhereAndRoleChangesReachIt() {
        String subject = "s-" + java.util.UUID.randomUUID();
        long exp = java.time.Instant.now().plusSeconds(900).getEpochSecond();
        String loggedOut = java.util.UUID.randomUUID().toString();
        revocations.recordAccessTokenOutsideFamilies(subject, loggedOut, exp);
        revocation.logoutEverywhere(subject);
        assertTrue(revocations.isTokenDenied(loggedOut), "log out everywhere reaches a token not yet signed");

        String demoted = java.util.UUID.randomUUID().toString();
        revocations.recordAccessTokenOutsideFamilies(subject, demoted, exp);
        revocation.rolesChanged(subject);
        assertTrue(revocations.isTokenDenied(demoted), "a change of roles reaches a token not yet signed");
    }

    private static io.restassured.response.ValidatableResponse introspect(String token) {
        return TokenRequests.asClient(TestClients.RESOURCE_SERVER).formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(200);
    }

    @Test
    void codeUnknownThenInvalidGrant() {
        exchange(TestClients.SPA, "A".repeat(43), TestClients.SPA_REDIRECT, Pkce.create().verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
        exchange(TestClients.SPA, "garbage", TestClients.SPA_REDIRECT, Pkce.create().verifier())
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeExchangeByConfidentialClientWithoutSecretThenInvalidClient() {
        Flow flow = signedIn("openid", null);
        exchange(TestClients.THIRD, flow.signedIn().code(), TestClients.THIRD_REDIRECT, flow.pkce().verifier())
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void stateAndIssAreEchoedOnTheRedirect() {
        Flow flow = signedIn("openid", null);
        assertEquals("st", flow.signedIn().redirectParams().get("state"));
        assertEquals("https://auth.test", flow.signedIn().redirectParams().get("iss"));
        assertNull(flow.signedIn().redirectParams().get("access_token"));
    }
}
