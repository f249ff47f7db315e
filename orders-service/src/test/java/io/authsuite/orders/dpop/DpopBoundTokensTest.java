package io.authsuite.orders.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.authsuite.testing.DpopKey;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** Sender-constrained access tokens at a resource service (RFC 9449 §7), every rule both ways. */
@QuarkusTest
class DpopBoundTokensTest {

    private final DpopKey key = DpopKey.generate();

    private static String url(String path) {
        return RestAssured.baseURI + ":" + RestAssured.port + path;
    }

    private static final String DPOP = "DPoP algs=\"ES256 PS256 RS256\"";

    /** An access token for orders:read bound to {@code key} ({@code cnf.jkt}). */
    private static String bound(DpopKey key) {
        return TestIssuer.sign(boundClaims(key, "orders:read"));
    }

    /** The claims of a person's access token for {@code scopes} bound to {@code key}. */
    private static JwtClaimsBuilder boundClaims(DpopKey key, String... scopes) {
        return TestIssuer.claims("dpop-user", "orders-service", scopes)
                .claim("client_id", "dpop-app").claim("cnf", Map.of("jkt", key.thumbprint()));
    }

    /** The response's one and only {@code WWW-Authenticate} challenge is {@code challenge}. */
    private static void onlyChallenge(ValidatableResponse response, String challenge) {
        assertEquals(List.of(challenge), response.extract().headers().getValues("WWW-Authenticate"));
    }

    private static ValidatableResponse getOrders(String authorization, String... proofs) {
        var spec = given().header("Authorization", authorization);
        for (String proof : proofs) {
            spec.header("DPoP", proof);
        }
        return spec.get("/orders").then();
    }

    private static void refused(ValidatableResponse response, String error) {
        response.statusCode(401).body("error", equalTo(error))
                // A proof's or a scheme's mistake is not the token's: the client makes a new proof, or resends the
                // token with the other scheme, rather than signing in again.
                .body("code", equalTo(error.equals("invalid_dpop_proof") ? "DPOP_PROOF_INVALID" : "TOKEN_SCHEME_MISMATCH"))
                .header("WWW-Authenticate", startsWith("DPoP algs=\"ES256 PS256 RS256\", error=\"" + error + "\""));
        // RFC 9449 §7.1: a DPoP challenge alone, no Bearer one beside it.
        assertEquals(1, response.extract().headers().getValues("WWW-Authenticate").size());
    }

    @Test
    void boundTokenWithProofOfItsKeyThenAccepted() {
        String token = bound(key);
        getOrders("DPoP " + token, key.proof("GET", url("/orders"), token)).statusCode(200);
        // htu leaves out the query (RFC 9449 §4.3 check 9).
        given().header("Authorization", "DPoP " + token).header("DPoP", key.proof("GET", url("/orders"), token))
                .get("/orders?limit=5").then().statusCode(200);
    }

    @Test
    void boundTokenAsBearerThenRefused() {
        // A stolen DPoP-bound token is of no use without the key.
        refused(getOrders("Bearer " + bound(key)), "invalid_token");
    }

    @Test
    void boundTokenWithoutProofOrWithTwoThenInvalidProof() {
        String token = bound(key);
        refused(getOrders("DPoP " + token), "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, key.proof("GET", url("/orders"), token),
                key.proof("GET", url("/orders"), token)), "invalid_dpop_proof");
    }

    @Test
    void proofUsedTwiceThenRefusedTheSecondTime() {
        String token = bound(key);
        String proof = key.proof("GET", url("/orders"), token);
        getOrders("DPoP " + token, proof).statusCode(200);
        refused(getOrders("DPoP " + token, proof), "invalid_dpop_proof");
    }

    @Test
    void proofOfAnotherKeyThenRefused() {
        String token = bound(key);
        DpopKey other = DpopKey.generate();
        refused(getOrders("DPoP " + token, other.proof("GET", url("/orders"), token)), "invalid_dpop_proof");
        // The header names the bound key, but another key signed: the signature does not verify.
        refused(getOrders("DPoP " + token, key.sign(DpopKey.claims("GET", url("/orders"), token), "dpop+jwt", false,
                other)), "invalid_dpop_proof");
    }

    @Test
    void proofNotForThisRequestThenRefused() {
        String token = bound(key);
        refused(getOrders("DPoP " + token, key.proof("POST", url("/orders"), token)), "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, key.proof("GET", url("/orders/other"), token)), "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, key.proof("GET", "http://elsewhere.example/orders", token)),
                "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, key.proof("GET", url("/orders"), bound(key))), "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, key.proof("GET", url("/orders"), null)), "invalid_dpop_proof");
    }

    @Test
    void malformedOrStaleProofThenRefused() {
        String token = bound(key);
        JwtClaims stale = DpopKey.claims("GET", url("/orders"), token);
        stale.setClaim("iat", java.time.Instant.now().getEpochSecond() - 3600);
        refused(getOrders("DPoP " + token, key.sign(stale, "dpop+jwt", false)), "invalid_dpop_proof");
        JwtClaims future = DpopKey.claims("GET", url("/orders"), token);
        future.setClaim("iat", java.time.Instant.now().getEpochSecond() + 3600);
        refused(getOrders("DPoP " + token, key.sign(future, "dpop+jwt", false)), "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, key.sign(DpopKey.claims("GET", url("/orders"), token), "jwt", false)),
                "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, key.sign(DpopKey.claims("GET", url("/orders"), token), "dpop+jwt", true)),
                "invalid_dpop_proof");
        JwtClaims noJti = DpopKey.claims("GET", url("/orders"), token);
        noJti.unsetClaim("jti");
        refused(getOrders("DPoP " + token, key.sign(noJti, "dpop+jwt", false)), "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, "not.a.proof"), "invalid_dpop_proof");
        refused(getOrders("DPoP " + token, "x".repeat(5000)), "invalid_dpop_proof");
        // alg none: no signature at all.
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"typ\":\"dpop+jwt\",\"alg\":\"none\"}".getBytes()) + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        DpopKey.claims("GET", url("/orders"), token).toJson().getBytes()) + ".";
        refused(getOrders("DPoP " + token, none), "invalid_dpop_proof");
    }

    @Test
    void proofHeaderMemberOfWrongJsonTypeThenInvalidProof() {
        String token = bound(key);
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String claims = b64.encodeToString(DpopKey.claims("GET", url("/orders"), token).toJson().getBytes());
        for (String header : new String[] {"{\"typ\":1,\"alg\":\"ES256\"}", "{\"typ\":\"dpop+jwt\",\"alg\":{}}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":[\"EC\"]}}"}) {
            refused(getOrders("DPoP " + token, b64.encodeToString(header.getBytes()) + "." + claims + ".c2ln"),
                    "invalid_dpop_proof");
        }
    }

    @Test
    void unboundTokenWithDpopSchemeThenRefusedAndAsBearerAccepted() {
        String token = TestIssuer.token("plain-user", "orders-service", "orders:read");
        refused(getOrders("DPoP " + token, key.proof("GET", url("/orders"), token)), "invalid_token");
        getOrders("Bearer " + token).statusCode(200);
    }

    @Test
    void noCredentialsThenBearerAndDpopOffered() {
        // RFC 9449 §7.1: both schemes are offered to a request without credentials.
        java.util.List<String> challenges = given().get("/orders").then().statusCode(401).extract().headers()
                .getValues("WWW-Authenticate");
        org.hamcrest.MatcherAssert.assertThat(challenges, hasItems(startsWith("Bearer realm="),
                equalTo("DPoP algs=\"ES256 PS256 RS256\"")));
    }

    @Test
    void ordersWhenDpopSchemeAndTokenExpiredThenDpopChallenge() {
        long past = Instant.now().getEpochSecond() - 3600;
        String expired = TestIssuer.sign(boundClaims(key, "orders:read").issuedAt(past - 900).expiresAt(past));
        ValidatableResponse response = getOrders("DPoP " + expired, key.proof("GET", url("/orders"), expired))
                .statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("error", equalTo("invalid_token"))
                .body("code", equalTo("TOKEN_EXPIRED"));
        onlyChallenge(response, DPOP + ", error=\"invalid_token\", error_description=\"The access token expired\"");
    }

    @Test
    void ordersWhenDpopSchemeAndTokenInvalidThenDpopChallenge() {
        for (String invalid : List.of("not.a.jwt",
                TestIssuer.signWithUnknownKey(boundClaims(key, "orders:read")),
                TestIssuer.sign(boundClaims(key, "orders:read").audience("inventory-service")),
                // RFC 9068 §4: not typ at+jwt (refused after the proof checked out, by ScopePermissions).
                TestIssuer.signWithType(boundClaims(key, "orders:read"), "JWT"))) {
            ValidatableResponse response = getOrders("DPoP " + invalid, key.proof("GET", url("/orders"), invalid))
                    .statusCode(401).contentType("application/problem+json")
                    .body("error", equalTo("invalid_token"))
                    .body("code", equalTo("TOKEN_INVALID"));
            onlyChallenge(response,
                    DPOP + ", error=\"invalid_token\", error_description=\"The access token is invalid\"");
        }
    }

    @Test
    void ordersWhenDpopSchemeAndScopeMissingThenDpopInsufficientScope() {
        String writeOnly = TestIssuer.sign(boundClaims(key, "orders:write"));
        ValidatableResponse response = getOrders("DPoP " + writeOnly, key.proof("GET", url("/orders"), writeOnly))
                .statusCode(403).contentType("application/problem+json")
                .body("error", equalTo("insufficient_scope"))
                .body("detail", equalTo("The access token lacks the scope orders:read"));
        onlyChallenge(response, DPOP + ", error=\"insufficient_scope\", scope=\"orders:read\"");
    }

    @Test
    void ordersWhenDpopSchemeAndServiceOnlyEndpointThenDpopInsufficientScopeWithoutScope() {
        // The scope is there; the caller (a person, not a service) is not allowed: no scope attribute to name.
        String person = TestIssuer.sign(boundClaims(key, "orders:cancel"));
        ValidatableResponse response = given().header("Authorization", "DPoP " + person)
                .header("DPoP", key.proof("POST", url("/orders/cancellations"), person))
                .contentType("application/json").body("{\"sku\":\"BOOK-001\"}")
                .post("/orders/cancellations").then()
                .statusCode(403).contentType("application/problem+json")
                .body("error", equalTo("insufficient_scope"));
        onlyChallenge(response, DPOP + ", error=\"insufficient_scope\"");
    }

    @Test
    void ordersWhenBearerSchemeAndTokenExpiredThenBearerChallengeAsBefore() {
        long past = Instant.now().getEpochSecond() - 3600;
        String expired = TestIssuer.sign(TestIssuer.claims("plain-user", "orders-service", "orders:read")
                .issuedAt(past - 900).expiresAt(past));
        ValidatableResponse response = getOrders("Bearer " + expired).statusCode(401)
                .body("error", equalTo("invalid_token")).body("code", equalTo("TOKEN_EXPIRED"));
        onlyChallenge(response, "Bearer realm=\"orders-service\", error=\"invalid_token\", "
                + "error_description=\"The access token expired\"");
    }

    @Test
    void ordersWhenBearerSchemeAndScopeMissingThenBearerInsufficientScopeAsBefore() {
        ValidatableResponse response = getOrders("Bearer " + TestIssuer.token("plain-user", "orders-service",
                "orders:write")).statusCode(403).body("error", equalTo("insufficient_scope"));
        onlyChallenge(response, "Bearer realm=\"orders-service\", error=\"insufficient_scope\", scope=\"orders:read\"");
    }
}
