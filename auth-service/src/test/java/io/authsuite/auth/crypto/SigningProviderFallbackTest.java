package io.authsuite.auth.crypto;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without ACCP (here by configuration, as where it cannot load) the JDK signs, and says so. */
@QuarkusTest
@TestProfile(SigningProviderFallbackTest.JdkOnly.class)
class SigningProviderFallbackTest {

    public static class JdkOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.crypto-provider", "jdk");
        }
    }

    @Test
    void signingWhenAccpNotUsedThenJdkSignsAndReadinessSaysWhy() throws Exception {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'signing' }.data.provider", equalTo("SunRsaSign"))
                .body("checks.find { it.name == 'signing' }.data.fallback", containsString("auth.crypto-provider=jdk"));
        assertTrue(SigningProviderTest.verifiesWithJdk(SigningProviderTest.clientCredentialsToken()));
    }
}
