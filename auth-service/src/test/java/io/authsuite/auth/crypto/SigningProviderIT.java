package io.authsuite.auth.crypto;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged application signs through ACCP, with the AWS-LC library shipped beside it: beside the native
 * executable (AccpNativeFeature), or in quarkus-app/lib/accp beside the jar, which the IT launch names in
 * java.library.path as make up does. (The in-process tests, SigningProviderTest, cover the copy unpacked from ACCP's
 * jar.)
 */
@QuarkusIntegrationTest
class SigningProviderIT {

    @Test
    void signingWhenPackagedThenAccpSignsAndJdkVerifiesItsTokens() throws Exception {
        Map<String, Object> data = settledSigningData();
        assertEquals(CryptoProvider.ACCP, data.get("provider"), data.toString());
        assertNull(data.get("fallback"), data.toString());
        assertEquals("external", data.get("library"), data.toString());
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
