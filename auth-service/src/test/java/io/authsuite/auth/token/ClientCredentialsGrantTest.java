package io.authsuite.auth.token;

import static io.authsuite.auth.token.TokenRequests.asClient;
import static io.authsuite.auth.token.TokenRequests.basic;
import static io.authsuite.auth.token.TokenRequests.postRaw;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClientCredentialsGrantTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void clientCredentialsWithBasicAuthThenSignedAccessToken() throws Exception {
        String token = asClient(TestClients.SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read inventory:read")
                .post("/oauth2/token")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("scope", equalTo("inventory:read orders:read"))
                // RFC 6749 §4.4.3: no refresh token for client credentials.
                .body("refresh_token", nullValue())
                .extract().path("access_token");

        JwtClaims claims = verify(token);
        assertEquals("https://auth.test", claims.getIssuer());
        assertEquals(TestClients.SERVICE, claims.getSubject());
        assertEquals(TestClients.SERVICE, claims.getClaimValueAsString("client_id"));
        assertEquals(List.of("orders-service", "inventory-service").stream().sorted().toList(),
                claims.getAudience().stream().sorted().toList());
        assertEquals("inventory:read orders:read", claims.getClaimValueAsString("scope"));
        assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertNotNull(claims.getJwtId());

        JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(token);
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        assertEquals("at+jwt", jws.getHeader("typ"));
        assertNotNull(jws.getKeyIdHeaderValue());
    }

    @Test
    void clientCredentialsWithPostAuthThenToken() {
        given().contentType(FORM)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", TestClients.POST_ONLY)
                .formParam("client_secret", TestClients.secret(TestClients.POST_ONLY))
                .post("/oauth2/token")
                .then().statusCode(200)
                .body("scope", equalTo("inventory:read"));
    }

    @Test
    void clientCredentialsWithoutScopeThenDefaultScopes() {
        asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().statusCode(200).body("scope", equalTo("orders:read"));
    }

    @Test
    void clientCredentialsWhenTwoTokensThenDistinctJti() throws Exception {
        String a = asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        String b = asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        assertTrue(!verify(a).getJwtId().equals(verify(b).getJwtId()));
    }

    @Test
    void tokenWhenSecretWrongThenInvalidClientWithBasicChallenge() {
        given().header("Authorization", basic(TestClients.SERVICE, "wrong"))
                .contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"))
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client"))
                .body("error_description", equalTo("client authentication failed"));
    }

    @Test
    void tokenWhenClientUnknownThenSameInvalidClient() {
        given().header("Authorization", basic("nobody", "whatever"))
                .contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().statusCode(401)
                .body("error", equalTo("invalid_client"))
                .body("error_description", equalTo("client authentication failed"));
    }

    @Test
    void tokenWhenNoClientAuthenticationThenInvalidClient() {
        given().contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void tokenWhenConfidentialClientSendsOnlyClientIdThenInvalidClient() {
        given().contentType(FORM).formParam("grant_type", "client_credentials")
                .formParam("client_id", TestClients.SERVICE)
                .post("/oauth2/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void tokenWhenAuthMethodNotRegisteredThenInvalidClient() {
        given().header("Authorization", basic(TestClients.POST_ONLY, TestClients.secret(TestClients.POST_ONLY)))
                .contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void tokenWhenBasicAndPostBothUsedThenInvalidRequest() {
        asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .formParam("client_id", TestClients.SERVICE)
                .formParam("client_secret", TestClients.secret(TestClients.SERVICE))
                .post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenBasicHeaderMalformedThenInvalidClient() {
        for (String header : List.of("Basic %%%", "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()),
                "Bearer abc", "Basic")) {
            given().header("Authorization", header).contentType(FORM).formParam("grant_type", "client_credentials")
                    .post("/oauth2/token")
                    .then().statusCode(401).body("error", equalTo("invalid_client"));
        }
    }

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        postRaw(asClient(TestClients.SERVICE), "scope=orders:read")
                .statusCode(400).header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_request"))
                .body("error_description", containsString("grant_type"));
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        postRaw(asClient(TestClients.SERVICE), "grant_type=urn:example:magic")
                .statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void tokenWhenPasswordGrantThenUnsupportedGrantType() {
        postRaw(asClient(TestClients.SERVICE), "grant_type=password&username=alice&password=alice-password")
                .statusCode(400).body("error", equalTo("unsupported_grant_type"))
                .body("error_description", containsString("RFC 9700"));
    }

    @Test
    void tokenWhenClientNotRegisteredForGrantThenUnauthorizedClient() {
        postRaw(asClient(TestClients.CODE_ONLY), "grant_type=client_credentials")
                .statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void tokenWhenScopeNotAllowedThenInvalidScope() {
        postRaw(asClient(TestClients.SERVICE), "grant_type=client_credentials&scope=orders:read%20inventory:reserve")
                .statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", containsString("inventory:reserve"));
    }

    @Test
    void tokenWhenScopeMalformedThenInvalidScope() {
        postRaw(asClient(TestClients.SERVICE), "grant_type=client_credentials&scope=orders:read%20%20orders:write")
                .statusCode(400).body("error", equalTo("invalid_scope"));
        postRaw(asClient(TestClients.SERVICE), "grant_type=client_credentials&scope=orders%22read")
                .statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void tokenWhenParameterRepeatedThenInvalidRequest() {
        postRaw(asClient(TestClients.SERVICE), "grant_type=client_credentials&scope=orders:read&scope=orders:write")
                .statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("repeated"));
    }

    @Test
    void tokenWhenUnrecognizedParameterRepeatedThenIgnored() {
        // RFC 6749 §3.2: the server MUST ignore unrecognized request parameters, repeated ones included.
        postRaw(asClient(TestClients.SERVICE), "grant_type=client_credentials&scope=orders:read&utm=1&utm=2")
                .statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void tokenWhenBodyNotFormEncodedThenInvalidRequest() {
        given().header("Authorization", basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                .contentType("application/json").body("{\"grant_type\":\"client_credentials\"}")
                .post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().header("Authorization", basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                .header("Content-Type", "not a media type").body("grant_type=client_credentials".getBytes())
                .post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenContentTypeIsAWildcardThenInvalidRequest() {
        for (String wildcard : java.util.List.of("*/*", "application/*", "*/x-www-form-urlencoded")) {
            given().header("Authorization", basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                    .header("Content-Type", wildcard).body("grant_type=client_credentials".getBytes())
                    .post("/oauth2/token")
                    .then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_description", containsString("application/x-www-form-urlencoded"));
        }
        // The type's case and a charset parameter do not matter (RFC 9110 §8.3.1).
        given().header("Authorization", basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                .header("Content-Type", "Application/X-WWW-Form-URLEncoded; charset=UTF-8")
                .body("grant_type=client_credentials")
                .post("/oauth2/token")
                .then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void tokenWhenPercentEncodingBrokenThenInvalidRequest() {
        postRaw(asClient(TestClients.SERVICE), "grant_type=client_credentials&scope=%zz")
                .statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void tokenWhenGetThenMethodNotAllowedInOAuthShape() {
        // RFC 9110 §15.5.6: with the Allow header a 405 MUST carry.
        given().get("/oauth2/token")
                .then().statusCode(405).body("error", equalTo("invalid_request"))
                .header("Allow", equalTo("OPTIONS, POST"));
    }

    @Test
    void unknownPathThenNotFoundInOAuthShape() {
        given().get("/oauth2/nothing-here")
                .then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void forgedTokenFailsVerification() {
        String token = asClient(TestClients.SERVICE).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThrows(InvalidJwtException.class, () -> verify(tampered));
    }

    static JwtClaims verify(String token) throws Exception {
        String jwks = RestAssured.get("/oauth2/jwks").then().statusCode(200).extract().asString();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("https://auth.test")
                .setSkipDefaultAudienceValidation()
                .setRequireExpirationTime()
                .setRequireJwtId()
                .build();
        return consumer.processToClaims(token);
    }

    @Test
    void clientCredentialsWithResourceIndicatorThenAudienceAndScopesOfThatResourceOnly() throws Exception {
        // A scope of another resource than the one named is refused, not silently granted.
        asClient(TestClients.SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read inventory:read")
                .formParam("resource", "http://127.0.0.1:8082")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
        String token = asClient(TestClients.SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "inventory:read")
                .formParam("resource", "http://127.0.0.1:8082")
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("inventory:read"))
                .extract().path("access_token");
        assertEquals(List.of("inventory-service"), verify(token).getAudience());
    }

    @Test
    void clientCredentialsWhenResourceOutsideClientsAudiencesThenInvalidTarget() {
        // RFC 8707 §2: orders-service is a resource this client may not obtain tokens for, so naming it is
        // invalid_target, even for a scope the client holds.
        asClient(TestClients.FENCED_SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read")
                .formParam("resource", "http://127.0.0.1:8081")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_target"))
                .body("error_description", containsString("may not obtain tokens for the resource orders-service"));
        // Without a resource the scope is what cannot be had.
        asClient(TestClients.FENCED_SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
        asClient(TestClients.FENCED_SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "inventory:read")
                .formParam("resource", "http://127.0.0.1:8082")
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("inventory:read"));
    }

    @Test
    void clientCredentialsWhenNoScopeOfOneResourceThenInvalidTargetNotDroppedFromAudience() {
        asClient(TestClients.SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "inventory:read")
                .formParam("resource", "http://127.0.0.1:8082")
                .formParam("resource", "http://127.0.0.1:8081")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_target"))
                .body("error_description", containsString("orders-service"));
        // No scope named: the client's defaults (orders:read) hold none of inventory-service's.
        asClient(TestClients.SERVICE)
                .formParam("grant_type", "client_credentials")
                .formParam("resource", "http://127.0.0.1:8082")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_target"));
    }

    @Test
    void clientCredentialsWhenResourceHoldsQuoteBackslashAndNonAsciiThenDescriptionInRfc6749Charset() {
        String description = postRaw(asClient(TestClients.SERVICE),
                "grant_type=client_credentials&resource=https%3A%2F%2Fx.example%2F%22%5C%C3%A9%0Aend")
                .statusCode(400).body("error", equalTo("invalid_target"))
                .extract().path("error_description");
        // RFC 6749 §5.2: error_description = 1*( %x20-21 / %x23-5B / %x5D-7E ).
        assertTrue(description.matches("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]+"), description);
        assertTrue(description.contains("https://x.example/'???end"), description);
    }

    @Test
    void clientCredentialsWithUnknownResourceThenInvalidTarget() {
        postRaw(asClient(TestClients.SERVICE), "grant_type=client_credentials&resource=https%3A%2F%2Felsewhere.example")
                .statusCode(400).body("error", equalTo("invalid_target"));
    }
}
