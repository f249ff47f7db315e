package io.authsuite.auth.crypto;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens are signed through Amazon Corretto Crypto Provider, and what it signs is an ordinary RS256 signature:
 * the JDK's own SunRsaSign verifies it with the key published in the JWKS (and the resource services' SmallRye JWT
 * verifies the same tokens in the system tests).
 */
@QuarkusTest
class SigningProviderTest {

    static String clientCredentialsToken() {
        // RFC 6749 §2.3.1: id and secret are form-encoded before Base64 (a generated secret may hold '+').
        String pair = URLEncoder.encode(TestClients.SERVICE, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(TestClients.secret(TestClients.SERVICE), StandardCharsets.UTF_8);
        return given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    /** Verifies an RS256 JWS with the JDK's SunRsaSign and the published key of its kid. */
    static boolean verifiesWithJdk(String jws) throws Exception {
        String[] parts = jws.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String kid = header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
        Map<String, String> jwk = given().get("/oauth2/jwks").then().statusCode(200).extract()
                .jsonPath().getMap("keys.find { it.kid == '" + kid + "' }");
        PublicKey key = KeyFactory.getInstance("RSA", "SunRsaSign").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n"))),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e")))));
        Signature verifier = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    @Inject
    CryptoProvider crypto;

    @Test
    void signingWhenAccpLoadsThenReadinessNamesItAndJdkVerifiesItsTokens() throws Exception {
        // ACCP loads in the background (the JDK signs until then); here the test waits for it.
        crypto.awaitSettled();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'signing' }.data.provider", equalTo(CryptoProvider.ACCP))
                // No java.library.path naming quarkus-app/lib/accp here: the copy in ACCP's jar is unpacked.
                .body("checks.find { it.name == 'signing' }.data.library", equalTo("unpacked"));
        assertEquals(CryptoProvider.ACCP, Signature.getInstance("SHA256withRSA").getProvider().getName());
        assertTrue(verifiesWithJdk(clientCredentialsToken()));
    }

    @Test
    void metricsWhenScrapedThenNameTheSigningProvider() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("authsuite_signing_provider{provider=\"" + CryptoProvider.ACCP + "\"} 1.0"), metrics.lines()
                .filter(l -> l.contains("signing")).toList().toString());
    }

    @Test
    void jwksWhenAccpSignsThenStillPlainRsaKeys() {
        given().get("/oauth2/jwks").then().statusCode(200).body("keys.kty", hasItem("RSA"));
    }
}
