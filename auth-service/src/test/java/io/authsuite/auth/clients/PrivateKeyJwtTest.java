package io.authsuite.auth.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.authsuite.auth.TestClients;
import io.authsuite.auth.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/**
 * private_key_jwt (RFC 7523 §2.2): a client registered with its public key authenticates with a JWT it signs; every
 * rule of RFC 7523 §3 is checked, and each broken one is invalid_client.
 */
@QuarkusTest
class PrivateKeyJwtTest {

    private static final String CLIENT = TestClients.KEY_CLIENT;
    private static final String ISSUER = "https://auth.test";
    private static final String TOKEN_ENDPOINT = ISSUER + "/oauth2/token";
    /**
     * The client's key pair, made for this run; the server is given the public half only, by {@link TestClients}, which
     * runs in another class loader: {@link TestKeys#shared} gives both one key.
     */
    private static final RsaJsonWebKey KEY = clientKey();
    private static final RsaJsonWebKey OTHER_KEY = TestKeys.rsa("k1");

    private static RsaJsonWebKey clientKey() {
        return TestKeys.shared("private-key-jwt-client", "k1");
    }

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(CLIENT);
        claims.setSubject(CLIENT);
        claims.setAudience(ISSUER);
        claims.setExpirationTimeMinutesInTheFuture(2);
        claims.setIssuedAtToNow();
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key, String alg) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(alg);
        return jws.getCompactSerialization();
    }

    static String assertion(Consumer<JwtClaims> change) throws JoseException {
        JwtClaims claims = claims();
        change.accept(claims);
        return sign(claims, KEY, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    static ValidatableResponse grant(String assertion) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", ClientAssertions.TYPE).formParam("client_assertion", assertion)
                .post("/oauth2/token").then();
    }

    private static void refused(String assertion, String because) {
        grant(assertion).statusCode(401).body("error", equalTo("invalid_client"))
                .body("error_description", org.hamcrest.Matchers.containsString(because));
    }

    @Test
    void clientCredentialsWhenSignedAssertionThenToken() throws Exception {
        grant(assertion(c -> { })).statusCode(200).body("access_token", notNullValue())
                .body("token_type", equalTo("Bearer"));
        // PS256 is accepted as well.
        grant(sign(claims(), KEY, AlgorithmIdentifiers.RSA_PSS_USING_SHA256)).statusCode(200);
    }

    @Test
    void assertionWhenAudienceIsAnEndpointOrNotThisServerAloneThenInvalidClient() throws Exception {
        // Audience injection: another server that names this server's token endpoint as its own gets the client to
        // sign an assertion for it, and replays it here. Only the issuer, alone, is this server.
        refused(assertion(c -> c.setAudience(TOKEN_ENDPOINT)), "aud");
        refused(assertion(c -> c.setAudience(ISSUER + "/oauth2/par")), "aud");
        refused(assertion(c -> c.setAudience(ISSUER, "https://other-as.example")), "alone");
        refused(assertion(c -> c.setAudience(ISSUER, ISSUER)), "alone");
    }

    @Test
    void pushedRequestWhenAssertionNamesIssuerThenClientAuthenticated() throws Exception {
        // RFC 9126 §2: a client authenticates at the PAR endpoint as at the token endpoint. This client has no code
        // flow, so its request is refused after it authenticated (400), where a wrong audience is refused as a
        // client (401).
        given().contentType("application/x-www-form-urlencoded").formParam("response_type", "code")
                .formParam("client_assertion_type", ClientAssertions.TYPE)
                .formParam("client_assertion", assertion(c -> c.setAudience(ISSUER)))
                .post("/oauth2/par").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").formParam("response_type", "code")
                .formParam("client_assertion_type", ClientAssertions.TYPE)
                .formParam("client_assertion", assertion(c -> c.setAudience("https://elsewhere.example")))
                .post("/oauth2/par").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void assertionWhenReplayedThenInvalidClient() throws Exception {
        String once = assertion(c -> { });
        grant(once).statusCode(200);
        refused(once, "already used");
    }

    @Test
    void assertionWhenClaimsWrongThenInvalidClient() throws Exception {
        refused(assertion(c -> c.setAudience("https://elsewhere.example")), "aud");
        refused(assertion(c -> c.setIssuer("someone-else")), "iss and sub");
        refused(assertion(c -> c.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 120))),
                "expired");
        refused(assertion(c -> c.setExpirationTimeMinutesInTheFuture(60)), "minutes ahead");
        refused(assertion(c -> c.unsetClaim("exp")), "exp");
        refused(assertion(c -> c.unsetClaim("jti")), "jti");
    }

    @Test
    void assertionWhenNotSignedByRegisteredKeyThenInvalidClient() throws Exception {
        refused(sign(claims(), OTHER_KEY, AlgorithmIdentifiers.RSA_USING_SHA256), "signature");
        // RFC 8725 §3.1: neither "none" nor an HMAC keyed with something public.
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims().toJson());
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        refused(none.getCompactSerialization(), "signature");
        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(claims().toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(KEY.getRsaPublicKey().getEncoded()));
        hmac.setDoKeyValidation(false);
        refused(hmac.getCompactSerialization(), "signature");
        refused("not-a-jwt", "not a JWT");
    }

    @Test
    void assertionWhenCombinedWithSecretOrHalfGivenThenInvalidRequest() throws Exception {
        given().auth().preemptive().basic(CLIENT, "x").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_assertion_type", ClientAssertions.TYPE)
                .formParam("client_assertion", assertion(c -> { })).post("/oauth2/token").then()
                .statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion", assertion(c -> { })).post("/oauth2/token").then()
                .statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:example:other").formParam("client_assertion", "x")
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        // A client_id that is not the assertion's subject.
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", "demo-cli").formParam("client_assertion_type", ClientAssertions.TYPE)
                .formParam("client_assertion", assertion(c -> { })).post("/oauth2/token").then()
                .statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void discoveryAdvertisesPrivateKeyJwtAndItsAlgorithms() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("token_endpoint_auth_signing_alg_values_supported", hasItem("RS256"));
    }
}
