package io.authsuite.auth.crypto;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged application signs through ACCP. In the native executable that proves the AWS-LC library shipped beside
 * it loads (AccpNativeFeature); the JVM jar unpacks the copy in ACCP's jar.
 */
@QuarkusIntegrationTest
class SigningProviderIT {

    @Test
    void signingWhenPackagedThenAccpSignsAndJdkVerifiesItsTokens() throws Exception {
        Map<String, Object> data = settledSigningData();
        assertEquals(CryptoProvider.ACCP, data.get("provider"), data.toString());
        assertNull(data.get("fallback"), data.toString());
        assertTrue(SigningProviderTest.verifiesWithJdk(SigningProviderTest.clientCredentialsToken()));
    }

    /** The data of the readiness check "signing" once ACCP is in or refused (it loads in the background). */
    static Map<String, Object> settledSigningData() throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Map<String, Object> data = given().get("/q/health/ready").then().statusCode(200).extract()
                    .jsonPath().getMap("checks.find { it.name == 'signing' }.data");
            if (!data.containsKey("loading") || attempt == 300) {
                return data;
            }
            Thread.sleep(100);
        }
    }
}
