package io.authsuite.auth.dpop;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.token.TokenRequests;
import io.authsuite.testing.DpopKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DPoP at the token endpoint and userinfo (RFC 9449 §5, §7, §8), with nonces required as the default has it. */
@QuarkusTest
class DpopTokenEndpointTest {

    static final String ISSUER = "https://auth.test";
    static final String TOKEN_URL = ISSUER + "/oauth2/token";

    /** A DPoP client: its key and the last nonce the server gave it; it retries once on use_dpop_nonce, as clients do. */
    static final class Client {
        final DpopKey key;
        String nonce;

        Client() {
            this(DpopKey.generate());
        }

        Client(DpopKey key) {
            this.key = key;
        }

        Response token(UnaryOperator<RequestSpecification> request) {
            for (int attempt = 0; ; attempt++) {
                Response response = request.apply(given().contentType("application/x-www-form-urlencoded")
                        .header("DPoP", key.proof("POST", TOKEN_URL, null, nonce))).post("/oauth2/token");
                learn(response);
                if (attempt == 0 && response.statusCode() == 400
                        && "use_dpop_nonce".equals(response.jsonPath().getString("error"))) {
                    continue;
                }
                return response;
            }
        }

        Response userInfo(String accessToken) {
            for (int attempt = 0; ; attempt++) {
                Response response = given().header("Authorization", "DPoP " + accessToken)
                        .header("DPoP", key.proof("GET", ISSUER + "/oauth2/userinfo", accessToken, nonce))
                        .get("/oauth2/userinfo");
                learn(response);
                if (attempt == 0 && response.statusCode() == 401
                        && String.valueOf(response.getHeader("WWW-Authenticate")).contains("use_dpop_nonce")) {
                    continue;
                }
                return response;
            }
        }

        private void learn(Response response) {
            if (response.getHeader("DPoP-Nonce") != null) {
                nonce = response.getHeader("DPoP-Nonce");
            }
        }
    }

    static RequestSpecification clientCredentials(RequestSpecification spec, String clientId) {
        return spec.header("Authorization", TokenRequests.basic(clientId, TestClients.secret(clientId)))
                .formParam("grant_type", "client_credentials");
    }

    static JsonPath claims(String jwt) {
        return JsonPath.from(OAuthFlow.claims(jwt));
    }

    /** A client that already holds the current nonce. */
    static Client withNonce() {
        Client client = new Client();
        client.token(spec -> clientCredentials(spec, TestClients.SERVICE)).then().statusCode(200);
        assertNotNull(client.nonce);
        return client;
    }

    @Test
    void clientCredentialsWithProofThenDpopTokenBoundToKey() {
        Client client = new Client();
        Response response = client.token(spec -> clientCredentials(spec, TestClients.SERVICE));
        response.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("DPoP-Nonce", notNullValue())
                .body("token_type", equalTo("DPoP"));
        assertEquals(client.key.thumbprint(), claims(response.path("access_token")).getString("cnf.jkt"));
    }

    @Test
    void clientCredentialsWithoutProofThenBearerTokenWithoutCnf() {
        Response response = clientCredentials(given().contentType("application/x-www-form-urlencoded"),
                TestClients.SERVICE).post("/oauth2/token");
        response.then().statusCode(200).header("DPoP-Nonce", nullValue()).body("token_type", equalTo("Bearer"));
        assertNull(claims(response.path("access_token")).get("cnf"));
    }

    @Test
    void proofWithoutNonceThenUseDpopNonceWithFreshNonce() {
        DpopKey key = DpopKey.generate();
        clientCredentials(given().contentType("application/x-www-form-urlencoded")
                .header("DPoP", key.proof("POST", TOKEN_URL, null)), TestClients.SERVICE)
                .post("/oauth2/token").then().statusCode(400)
                .header("Cache-Control", "no-store")
                .header("DPoP-Nonce", notNullValue())
                .body("error", equalTo("use_dpop_nonce"))
                .body("access_token", nullValue());
    }

    @Test
    void proofWithUnknownNonceThenUseDpopNonce() {
        DpopKey key = DpopKey.generate();
        clientCredentials(given().contentType("application/x-www-form-urlencoded")
                .header("DPoP", key.proof("POST", TOKEN_URL, null, "made-up-nonce")), TestClients.SERVICE)
                .post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("use_dpop_nonce"));
    }

    @Test
    void proofReplayedThenInvalidDpopProof() {
        Client client = withNonce();
        String proof = client.key.proof("POST", TOKEN_URL, null, client.nonce);
        clientCredentials(given().contentType("application/x-www-form-urlencoded").header("DPoP", proof),
                TestClients.SERVICE).post("/oauth2/token").then().statusCode(200);
        clientCredentials(given().contentType("application/x-www-form-urlencoded").header("DPoP", proof),
                TestClients.SERVICE).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"))
                .body("error_description", containsString("already used"));
    }

    static Stream<Arguments> badProofs() {
        return Stream.of(
                Arguments.of("typ jwt", (ProofMaker) (key, nonce) -> key.sign(claims("POST", TOKEN_URL, nonce), "jwt", false)),
                Arguments.of("private key in jwk", (ProofMaker) (key, nonce) ->
                        key.sign(claims("POST", TOKEN_URL, nonce), "dpop+jwt", true)),
                Arguments.of("signed by another key", (ProofMaker) (key, nonce) ->
                        key.sign(claims("POST", TOKEN_URL, nonce), "dpop+jwt", false, DpopKey.generate())),
                Arguments.of("htm GET", (ProofMaker) (key, nonce) -> key.proof("GET", TOKEN_URL, null, nonce)),
                Arguments.of("htu of another endpoint", (ProofMaker) (key, nonce) ->
                        key.proof("POST", ISSUER + "/oauth2/revoke", null, nonce)),
                Arguments.of("htu of another host", (ProofMaker) (key, nonce) ->
                        key.proof("POST", "https://evil.example/oauth2/token", null, nonce)),
                Arguments.of("iat ten minutes old", (ProofMaker) (key, nonce) -> {
                    JwtClaims c = claims("POST", TOKEN_URL, nonce);
                    c.setClaim("iat", Instant.now().minusSeconds(600).getEpochSecond());
                    return key.sign(c, "dpop+jwt", false);
                }),
                Arguments.of("iat in the future", (ProofMaker) (key, nonce) -> {
                    JwtClaims c = claims("POST", TOKEN_URL, nonce);
                    c.setClaim("iat", Instant.now().plusSeconds(600).getEpochSecond());
                    return key.sign(c, "dpop+jwt", false);
                }),
                Arguments.of("no jti", (ProofMaker) (key, nonce) -> {
                    JwtClaims c = claims("POST", TOKEN_URL, nonce);
                    c.unsetClaim("jti");
                    return key.sign(c, "dpop+jwt", false);
                }),
                Arguments.of("alg HS256", (ProofMaker) (key, nonce) -> hmacProof(claims("POST", TOKEN_URL, nonce))),
                Arguments.of("alg none", (ProofMaker) (key, nonce) -> unsigned(claims("POST", TOKEN_URL, nonce))),
                Arguments.of("not a JWT", (ProofMaker) (key, nonce) -> "not-a-proof"),
                Arguments.of("oversized", (ProofMaker) (key, nonce) -> "a".repeat(10_000)));
    }

    @FunctionalInterface
    interface ProofMaker {
        String make(DpopKey key, String nonce) throws Exception;
    }

    static JwtClaims claims(String method, String uri, String nonce) {
        JwtClaims claims = DpopKey.claims(method, uri, null);
        claims.setStringClaim("nonce", nonce);
        return claims;
    }

    static String hmacProof(JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "dpop+jwt");
        jws.setPayload(claims.toJson());
        jws.setKey(new HmacKey(new byte[32]));
        return jws.getCompactSerialization();
    }

    static String unsigned(JwtClaims claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"typ\":\"dpop+jwt\",\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** A proof with this raw header and a garbage signature: the header alone must get it refused. */
    static String withHeader(String headerJson, JwtClaims claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not a signature".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void tokenWhenDpopProofTypHeaderIsNumberThenInvalidDpopProof() {
        Client client = withNonce();
        for (String header : new String[] {"{\"typ\":1,\"alg\":\"ES256\"}",
                "{\"typ\":\"dpop+jwt\",\"alg\":[\"ES256\"]}", "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":1}",
                "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":{}}}"}) {
            clientCredentials(given().contentType("application/x-www-form-urlencoded")
                    .header("DPoP", withHeader(header, claims("POST", TOKEN_URL, client.nonce))), TestClients.SERVICE)
                    .post("/oauth2/token").then().statusCode(400)
                    .header("Cache-Control", "no-store")
                    .body("error", equalTo("invalid_dpop_proof"))
                    .body("error_description", notNullValue());
        }
    }

    @Test
    void userInfoWhenDpopProofAlgHeaderIsArrayThenInvalidDpopProof() {
        Client client = new Client();
        String token = signInWithDpop(client, "openid").then().statusCode(200).extract().path("access_token");
        JwtClaims claims = DpopKey.claims("GET", ISSUER + "/oauth2/userinfo", token);
        claims.setStringClaim("nonce", client.nonce);
        given().header("Authorization", "DPoP " + token)
                .header("DPoP", withHeader("{\"typ\":\"dpop+jwt\",\"alg\":[\"ES256\"]}", claims))
                .get("/oauth2/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_dpop_proof"))
                .body("error", equalTo("invalid_dpop_proof"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badProofs")
    void badProofThenInvalidDpopProofAndNoToken(String name, ProofMaker maker) throws Exception {
        Client client = withNonce();
        clientCredentials(given().contentType("application/x-www-form-urlencoded")
                .header("DPoP", maker.make(client.key, client.nonce)), TestClients.SERVICE)
                .post("/oauth2/token").then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_dpop_proof"))
                .body("error_description", notNullValue())
                .body("access_token", nullValue());
        // Refused input loses nothing: the next good request of the same client passes.
        client.token(spec -> clientCredentials(spec, TestClients.SERVICE)).then().statusCode(200);
    }

    @Test
    void twoProofHeadersThenInvalidDpopProof() {
        Client client = withNonce();
        clientCredentials(given().contentType("application/x-www-form-urlencoded")
                .header("DPoP", client.key.proof("POST", TOKEN_URL, null, client.nonce))
                .header("DPoP", client.key.proof("POST", TOKEN_URL, null, client.nonce)), TestClients.SERVICE)
                .post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"))
                .body("error_description", containsString("exactly one"));
    }

    @Test
    void dpopBoundClientWithoutProofThenRefused() {
        clientCredentials(given().contentType("application/x-www-form-urlencoded"), TestClients.DPOP_BOUND)
                .post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"))
                .body("access_token", nullValue());
        new Client().token(spec -> clientCredentials(spec, TestClients.DPOP_BOUND)).then().statusCode(200)
                .body("token_type", equalTo("DPoP"));
    }

    /** A person's sign-in through the public SPA client, its code exchanged with a proof of {@code client}'s key. */
    static Response signInWithDpop(Client client, String scope) {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce,
                null, null), TestClients.USER, TestClients.password(TestClients.USER));
        return client.token(spec -> spec.formParam("grant_type", "authorization_code")
                .formParam("client_id", TestClients.SPA)
                .formParam("code", signedIn.code())
                .formParam("redirect_uri", TestClients.SPA_REDIRECT)
                .formParam("code_verifier", pkce.verifier()));
    }

    /** A sign-in whose authorization request binds the code to {@code jkt} (RFC 9449 §10); returns code and verifier. */
    static String[] signInBoundTo(String jkt) {
        Pkce pkce = Pkce.create();
        java.util.Map<String, String> params = new java.util.HashMap<>(authorizeParams(TestClients.SPA,
                TestClients.SPA_REDIRECT, "openid orders:read", pkce, null, null));
        params.put("dpop_jkt", jkt);
        OAuthFlow.SignedIn signedIn = signIn(params, TestClients.USER, TestClients.password(TestClients.USER));
        return new String[] {signedIn.code(), pkce.verifier()};
    }

    static UnaryOperator<RequestSpecification> codeExchange(String[] codeAndVerifier) {
        return spec -> spec.formParam("grant_type", "authorization_code").formParam("client_id", TestClients.SPA)
                .formParam("code", codeAndVerifier[0]).formParam("redirect_uri", TestClients.SPA_REDIRECT)
                .formParam("code_verifier", codeAndVerifier[1]);
    }

    @Test
    void codeBoundWithDpopJktWhenRedeemedWithThatKeyThenDpopTokens() {
        Client client = new Client();
        Response tokens = client.token(codeExchange(signInBoundTo(client.key.thumbprint())));
        tokens.then().statusCode(200).body("token_type", equalTo("DPoP"));
        assertEquals(client.key.thumbprint(), claims(tokens.path("access_token")).getString("cnf.jkt"));
    }

    @Test
    void codeBoundWithDpopJktWhenRedeemedWithOtherKeyOrWithoutProofThenInvalidGrant() {
        Client owner = new Client();
        Client thief = withNonce();
        thief.token(codeExchange(signInBoundTo(owner.key.thumbprint()))).then().statusCode(400)
                .body("error", equalTo("invalid_grant")).body("error_description", containsString("dpop_jkt"));
        String[] code = signInBoundTo(owner.key.thumbprint());
        OAuthFlow.exchange(TestClients.SPA, code[0], TestClients.SPA_REDIRECT, code[1]).then().statusCode(400)
                .body("error", equalTo("invalid_grant")).body("error_description", containsString("dpop_jkt"));
    }

    /** Pushes an authorization request with a DPoP proof of {@code client}'s key (RFC 9449 §10.1), nonce retried. */
    static Response pushWithProof(Client client, java.util.Map<String, String> params) {
        for (int attempt = 0; ; attempt++) {
            Response response = given().contentType("application/x-www-form-urlencoded").formParams(params)
                    .header("DPoP", client.key.proof("POST", ISSUER + "/oauth2/par", null, client.nonce))
                    .post("/oauth2/par");
            if (response.getHeader("DPoP-Nonce") != null) {
                client.nonce = response.getHeader("DPoP-Nonce");
            }
            if (attempt == 0 && response.statusCode() == 400
                    && "use_dpop_nonce".equals(response.jsonPath().getString("error"))) {
                continue;
            }
            return response;
        }
    }

    /** A sign-in by reference to a request pushed with a proof of {@code client}'s key; returns code and verifier. */
    static String[] signInPushedWithProof(Client client) {
        Pkce pkce = Pkce.create();
        String requestUri = pushWithProof(client, authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid orders:read", pkce, null, null)).then().statusCode(201).extract().path("request_uri");
        OAuthFlow.SignedIn signedIn = signIn(java.util.Map.of("client_id", TestClients.SPA, "request_uri", requestUri),
                TestClients.USER, TestClients.password(TestClients.USER));
        return new String[] {signedIn.code(), pkce.verifier()};
    }

    @Test
    void pushedRequestWithProofThenCodeBoundToItsKey() {
        Client client = new Client();
        Response tokens = client.token(codeExchange(signInPushedWithProof(client)));
        tokens.then().statusCode(200).body("token_type", equalTo("DPoP"));
        assertEquals(client.key.thumbprint(), claims(tokens.path("access_token")).getString("cnf.jkt"));

        // RFC 9449 §10.1: as if dpop_jkt had been sent, the code needs a proof of that key.
        String[] code = signInPushedWithProof(client);
        OAuthFlow.exchange(TestClients.SPA, code[0], TestClients.SPA_REDIRECT, code[1]).then().statusCode(400)
                .body("error", equalTo("invalid_grant")).body("error_description", containsString("dpop_jkt"));
    }

    @Test
    void pushedRequestWhenDpopJktNamesAnotherKeyThanProofThenInvalidRequest() {
        Client client = new Client();
        java.util.Map<String, String> params = new java.util.HashMap<>(authorizeParams(TestClients.SPA,
                TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null));
        params.put("dpop_jkt", DpopKey.generate().thumbprint());
        pushWithProof(client, params).then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("dpop_jkt"));
        // A proof for another endpoint is refused.
        given().contentType("application/x-www-form-urlencoded").formParams(authorizeParams(TestClients.SPA,
                        TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null))
                .header("DPoP", client.key.proof("POST", TOKEN_URL, null, client.nonce)).post("/oauth2/par").then()
                .statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void authorizeWhenDpopJktMalformedThenInvalidRequestToRedirectUri() {
        java.util.Map<String, String> params = new java.util.HashMap<>(authorizeParams(TestClients.SPA,
                TestClients.SPA_REDIRECT, "openid", Pkce.create(), "st", null));
        params.put("dpop_jkt", "not a thumbprint");
        Response response = OAuthFlow.authorize(params, null);
        assertEquals(303, response.statusCode());
        assertEquals("invalid_request", OAuthFlow.query(response.getHeader("Location")).get("error"));
    }

    static UnaryOperator<RequestSpecification> refresh(String refreshToken) {
        return spec -> spec.formParam("grant_type", "refresh_token")
                .formParam("client_id", TestClients.SPA)
                .formParam("refresh_token", refreshToken);
    }

    @Test
    void publicClientRefreshWhenProofOfOtherKeyOrNoneThenRefusedAndTokenKept() {
        Client client = new Client();
        Response first = signInWithDpop(client, "openid orders:read");
        first.then().statusCode(200).body("token_type", equalTo("DPoP"));
        String refreshToken = first.path("refresh_token");
        assertEquals(client.key.thumbprint(), claims(first.path("access_token")).getString("cnf.jkt"));

        // RFC 9449 §5: a public client's refresh token is bound to the key: no proof, no tokens ...
        OAuthFlow.refresh(TestClients.SPA, refreshToken, null).then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"));
        // ... and a proof of another key (a thief's) neither.
        Client thief = new Client();
        thief.nonce = client.nonce;
        thief.token(refresh(refreshToken)).then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("another DPoP key"));

        // The refused attempts consumed nothing: the owner refreshes with the same token, and stays bound.
        Response refreshed = client.token(refresh(refreshToken));
        refreshed.then().statusCode(200).body("token_type", equalTo("DPoP"))
                .body("refresh_token", not(equalTo(refreshToken)));
        assertEquals(client.key.thumbprint(), claims(refreshed.path("access_token")).getString("cnf.jkt"));
        client.token(refresh(refreshed.path("refresh_token"))).then().statusCode(200);
    }

    /** A refresh token of the SPA, from a sign-in without a DPoP proof (a bearer refresh token). */
    private static String unboundRefreshToken() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid orders:read", pkce, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        return OAuthFlow.exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).body("token_type", equalTo("Bearer")).extract().path("refresh_token");
    }

    @Test
    void publicClientSignInWithoutProofWhenFirstRefreshWithProofThenFamilyBoundToThatKey() {
        Client client = new Client();
        Response refreshed = client.token(refresh(unboundRefreshToken()));
        refreshed.then().statusCode(200).body("token_type", equalTo("DPoP"));
        String bound = refreshed.path("refresh_token");

        // RFC 9449 §5: the refresh token issued on that proof is bound to its key: no proof, or another key, is refused.
        OAuthFlow.refresh(TestClients.SPA, bound, null).then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"));
        Client other = new Client();
        other.nonce = client.nonce;
        other.token(refresh(bound)).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("another DPoP key"));
        client.token(refresh(bound)).then().statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void publicClientFamilyBoundMidwayWhenTokenIssuedAfterTheBindingReplayedWithoutKeyThenRefusedAndFamilyKept() {
        Client owner = new Client();
        Response bound = owner.token(refresh(unboundRefreshToken()));
        bound.then().statusCode(200);
        // Used at once, likely within the second of the binding: a token issued bound stays a bound token.
        String used = bound.path("refresh_token");
        Response next = owner.token(refresh(used));
        next.then().statusCode(200);
        OAuthFlow.refresh(TestClients.SPA, used, null).then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"));
        owner.token(refresh(next.path("refresh_token"))).then().statusCode(200);
    }

    @Test
    void publicClientFamilyBoundByThiefWhenOwnersEarlierBearerTokenReplayedThenFamilyRevoked() {
        String stolen = unboundRefreshToken();
        // A thief refreshes the stolen bearer token first, with a proof of its own key: the family is now bound to it.
        Client thief = new Client();
        Response thiefs = thief.token(refresh(stolen));
        thiefs.then().statusCode(200);
        // The owner's copy was issued before the binding, as a bearer token: presenting it again is reuse
        // (RFC 9700 §4.14.2), even without the key the family is bound to now ...
        OAuthFlow.refresh(TestClients.SPA, stolen, null).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        // ... and the whole family is revoked, the thief's token with it.
        thief.token(refresh(thiefs.path("refresh_token"))).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void introspectionOfBoundTokenThenCnfAndTokenTypeDpop() {
        Client client = new Client();
        String token = client.token(spec -> clientCredentials(spec, TestClients.SERVICE).formParam("scope", "orders:read"))
                .then().statusCode(200).extract().path("access_token");
        given().header("Authorization", TokenRequests.basic(TestClients.RESOURCE_SERVER,
                        TestClients.secret(TestClients.RESOURCE_SERVER)))
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(200)
                .body("active", equalTo(true))
                .body("token_type", equalTo("DPoP"))
                .body("cnf.jkt", equalTo(client.key.thumbprint()));
    }

    @Test
    void userInfoWhenBoundTokenThenOnlyWithDpopSchemeAndProof() {
        Client client = new Client();
        String token = signInWithDpop(client, "openid profile").then().statusCode(200).extract().path("access_token");

        // RFC 9449 §7.1: used as a bearer token (say, stolen), it is refused.
        given().header("Authorization", "Bearer " + token).get("/oauth2/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("DPoP algs="))
                .header("WWW-Authenticate", containsString("invalid_token"));

        client.userInfo(token).then().statusCode(200)
                .body("sub", notNullValue())
                .body("preferred_username", equalTo(TestClients.USER));

        // One proof, one request.
        String proof = client.key.proof("GET", ISSUER + "/oauth2/userinfo", token, client.nonce);
        given().header("Authorization", "DPoP " + token).header("DPoP", proof).get("/oauth2/userinfo")
                .then().statusCode(200);
        given().header("Authorization", "DPoP " + token).header("DPoP", proof).get("/oauth2/userinfo")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_dpop_proof"))
                .body("error", equalTo("invalid_dpop_proof"));

        // A proof made with another key does not carry the token.
        Client thief = new Client();
        thief.nonce = client.nonce;
        thief.userInfo(token).then().statusCode(401).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void userInfoWhenUnboundTokenWithDpopSchemeThenInvalidToken() {
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid", pkce, null, null), TestClients.USER, TestClients.password(TestClients.USER));
        String token = OAuthFlow.exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
        Client client = withNonce();
        given().header("Authorization", "DPoP " + token)
                .header("DPoP", client.key.proof("GET", ISSUER + "/oauth2/userinfo", token, client.nonce))
                .get("/oauth2/userinfo").then().statusCode(401)
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void userInfoWhenDpopSchemeRefusedForScopeOrTokenThenDpopChallenge() {
        Client client = new Client();
        String token = signInWithDpop(client, "orders:read").then().statusCode(200).extract().path("access_token");
        // RFC 9449 §7.1: a request made with the DPoP scheme hears a DPoP challenge, whatever the refusal.
        Response noOpenid = client.userInfo(token);
        noOpenid.then().statusCode(403).body("error", equalTo("insufficient_scope"));
        org.junit.jupiter.api.Assertions.assertEquals(
                "DPoP algs=\"ES256 PS256 RS256\", error=\"insufficient_scope\", scope=\"openid\"",
                noOpenid.getHeader("WWW-Authenticate"));
        given().header("Authorization", "DPoP not.a.token").get("/oauth2/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("DPoP algs=\"ES256 PS256 RS256\", error=\"invalid_token\""));
        given().header("Authorization", "Bearer not.a.token").get("/oauth2/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"auth-service\", error=\"invalid_token\""));
    }

    @Test
    void discoveryThenDpopAlgorithms() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("dpop_signing_alg_values_supported", hasItems("ES256", "PS256", "RS256"));
    }
}
