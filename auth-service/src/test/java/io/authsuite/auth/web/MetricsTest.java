package io.authsuite.auth.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.TestClients;
import io.authsuite.auth.token.TokenRequests;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The security metrics of issue 15, with labels from fixed sets only. */
@QuarkusTest
class MetricsTest {

    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.E+-]+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void refusedTokenRequestsAndSecurityEventsThenCountedWithBoundedLabels() {
        String failures = "authsuite_security_events_total{outcome=\"failure\",type=\"client_authentication\"}";
        String errors = "authsuite_tokens_errors_total{error=\"invalid_client\",grant_type=\"client_credentials\"}";
        String other = "authsuite_tokens_errors_total{error=\"unsupported_grant_type\",grant_type=\"other\"}";
        String before = metrics();
        given().header("Authorization", TokenRequests.basic("nobody-" + UUID.randomUUID(), "wrong"))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401);
        // A made-up grant type is counted as "other": a caller cannot add label values.
        given().header("Authorization", TokenRequests.basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "x-" + UUID.randomUUID())
                .post("/oauth2/token").then().statusCode(400);
        String after = metrics();
        assertTrue(value(after, failures) >= value(before, failures) + 1, failures);
        assertTrue(value(after, errors) >= value(before, errors) + 1, errors);
        assertTrue(value(after, other) >= value(before, other) + 1, other);
        assertTrue(!after.contains("grant_type=\"x-"), "no label from the request");
    }

    /** Every signature, counted and timed by the JCA provider that made it, whichever that is by now. */
    static double signatures(String metrics) {
        Matcher m = Pattern.compile("^authsuite_token_signing_seconds_count\\{provider=\"([^\"]+)\"} ([0-9.E+-]+)$",
                Pattern.MULTILINE).matcher(metrics);
        double total = 0;
        while (m.find()) {
            assertTrue(m.group(1).equals("AmazonCorrettoCryptoProvider") || m.group(1).equals("SunRsaSign"), m.group());
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }

    @Test
    void tokenIssuedThenItsSignatureTimedByProvider() {
        double before = signatures(metrics());
        given().header("Authorization", TokenRequests.basic(TestClients.SERVICE, TestClients.secret(TestClients.SERVICE)))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(200);
        String after = metrics();
        assertTrue(signatures(after) >= before + 1, "no signature counted");
        assertTrue(after.contains("authsuite_token_signing_seconds_sum{provider="), "no signing time");
    }
}
