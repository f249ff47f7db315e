package io.authsuite.auth.token;

import static io.restassured.RestAssured.given;

import io.authsuite.auth.TestClients;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds token-endpoint requests the way a standard client does. */
public final class TokenRequests {

    private TokenRequests() {
    }

    /** HTTP Basic as RFC 6749 §2.3.1 has it: id and secret form-encoded first (the test secrets hold '+' and '/'). */
    public static String basic(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static RequestSpecification asClient(String id) {
        return given().header("Authorization", basic(id, TestClients.secret(id)))
                .contentType("application/x-www-form-urlencoded");
    }

    static ValidatableResponse postRaw(RequestSpecification spec, String body) {
        return spec.body(body).post("/oauth2/token").then();
    }
}
