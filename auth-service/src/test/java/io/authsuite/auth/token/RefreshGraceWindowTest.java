package io.authsuite.auth.token;

import static io.authsuite.auth.OAuthFlow.refresh;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.authsuite.auth.TestClients;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a reuse grace window, the immediately previous refresh token may be retried once after a rotation. */
@QuarkusTest
@TestProfile(RefreshGraceWindowTest.WithGrace.class)
class RefreshGraceWindowTest {

    public static class WithGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.refresh-token.reuse-grace", "PT30S");
        }
    }

    @Test
    void refreshWhenPreviousTokenRetriedWithinGraceThenNewTokenOnceAndFamilyKept() {
        String first = RefreshTokenGrantTest.firstRefreshToken();
        String lost = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        // The client never saw `lost` and retries with `first`: allowed once, and the family goes on from the retry.
        String retried = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        String next = refresh(TestClients.SPA, retried, null).then().statusCode(200).extract().path("refresh_token");
        refresh(TestClients.SPA, next, null).then().statusCode(200);
    }

    @Test
    void refreshWhenPreviousTokenReplayedWithinGraceThenSuccessorPresentedThenFamilyRevoked() {
        String stolen = RefreshTokenGrantTest.firstRefreshToken();
        String legitimate = refresh(TestClients.SPA, stolen, null).then().statusCode(200).extract().path("refresh_token");
        // The thief replays the stolen previous token inside the grace window and gets a token of the family...
        String thiefs = refresh(TestClients.SPA, stolen, null).then().statusCode(200).extract().path("refresh_token");
        // ...and when the legitimate client presents its own token, both sides have shown up: reuse (RFC 9700 §4.14.2).
        refresh(TestClients.SPA, legitimate, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(TestClients.SPA, thiefs, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshWhenNarrowingRequestRetriedWithinGraceThenNarrowTokenAgain() {
        String first = RefreshTokenGrantTest.firstRefreshToken();
        refresh(TestClients.SPA, first, "orders:read").then().statusCode(200).body("scope", equalTo("orders:read"));
        String retried = refresh(TestClients.SPA, first, "orders:read").then().statusCode(200)
                .body("scope", equalTo("orders:read")).extract().path("refresh_token");
        refresh(TestClients.SPA, retried, null).then().statusCode(200);
    }

    @Test
    void refreshWhenPreviousTokenPresentedWithAWiderScopeWithinGraceThenFamilyRevoked() {
        String first = RefreshTokenGrantTest.firstRefreshToken(TestClients.USER,
                TestClients.password(TestClients.USER), "openid orders:read");
        String second = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        // No retry of the first use asks for more than the grant holds: this is someone else's request (reuse).
        refresh(TestClients.SPA, first, "openid orders:read orders:write").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        refresh(TestClients.SPA, second, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshWhenPreviousTokenRetriedTwiceThenFamilyRevoked() {
        String first = RefreshTokenGrantTest.firstRefreshToken();
        refresh(TestClients.SPA, first, null).then().statusCode(200);
        String retried = refresh(TestClients.SPA, first, null).then().statusCode(200).extract().path("refresh_token");
        refresh(TestClients.SPA, first, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(TestClients.SPA, retried, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
