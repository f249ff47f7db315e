package io.authsuite.orders.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.authsuite.redis.KeyLayout;
import io.authsuite.testing.RedisTestResource;
import io.authsuite.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A disabled or deleted client's tokens ({@code client:<id>:<moment>} on the revocation feed) are refused here. */
@QuarkusTest
class ClientRevocationTest {

    static String token(String clientId, long issuedAt) {
        return TestIssuer.sign(TestIssuer.claims("someone", "orders-service", "orders:read")
                .claim("client_id", clientId).issuedAt(issuedAt).expiresAt(issuedAt + 900));
    }

    /** A token {@code service} obtained for a person by token exchange, issued ten seconds before {@code now}. */
    private static String exchanged(String service, String origin, java.util.Map<String, Object> act, long now) {
        return TestIssuer.sign(TestIssuer.claims("someone", "orders-service", "orders:read")
                .claim("client_id", service).claim("origin_client_id", origin).claim("act", act)
                .issuedAt(now - 10).expiresAt(now + 890));
    }

    /** What auth-service publishes when it disables {@code client} at {@code moment}, until {@code until}. */
    private static void cutOff(String client, long moment, long until) {
        String entry = "client:" + client + ":" + moment;
        KeyLayout layout = KeyLayout.of(RedisTestResource.server().clustered());
        RedisTestResource.server().command("ZADD", layout.denied(), Long.toString(until), entry);
        RedisTestResource.server().command("XADD", layout.revocationStream(), "*", "entry", entry, "until",
                Long.toString(until));
    }

    /** The status of GET /orders with {@code token} once the feed refused it, or the last one after 5 s. */
    static int statusOnceRefused(String token) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        int status = 200;
        while (status != 401 && System.currentTimeMillis() < deadline) {
            status = given().auth().oauth2(token).get("/orders").then().extract().statusCode();
            Thread.sleep(50);
        }
        return status;
    }

    @Test
    void tokensOfDisabledClientWhenIssuedUpToTheMomentThenRefusedOthersAccepted() throws Exception {
        String client = "disabled-" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        String before = token(client, now - 10);
        String after = token(client, now + 1);
        String otherClient = token("other-" + UUID.randomUUID(), now - 10);
        given().auth().oauth2(before).get("/orders").then().statusCode(200);

        cutOff(client, now - 5, now + 900);
        assertEquals(401, statusOnceRefused(before), "a token issued to the client before it was disabled");
        given().auth().oauth2(after).get("/orders").then().statusCode(200);
        given().auth().oauth2(otherClient).get("/orders").then().statusCode(200);
    }

    @Test
    void tokenWhenItsKidIsWrittenWithJsonEscapesThenStillCheckedAgainstRetiredKeys() throws Exception {
        // A key's retirement must hold against a token forged with the leaked key whose header spells the kid another
        // way: the JOSE library decodes the escapes to choose the key, so the deny list must read the kid it chose.
        String kid = TestIssuer.kid();
        String escaped = String.format("\\u%04x", (int) kid.charAt(0)) + kid.substring(1);
        long now = Instant.now().getEpochSecond();
        String plain = TestIssuer.sign(TestIssuer.claims("someone", "orders-service", "orders:read"));
        String escapedValue = TestIssuer.signWithRawHeader(TestIssuer.claims("someone", "orders-service", "orders:read"),
                "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + escaped + "\"}");
        String escapedName = TestIssuer.signWithRawHeader(TestIssuer.claims("someone", "orders-service", "orders:read"),
                "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"k\\u0069d\":\"%s\"}");
        given().auth().oauth2(escapedValue).get("/orders").then().statusCode(200);
        given().auth().oauth2(escapedName).get("/orders").then().statusCode(200);
        // Every token this module's tests sign carries this kid: the retirement lasts five seconds.
        String entry = "kid:" + kid;
        KeyLayout layout = KeyLayout.of(RedisTestResource.server().clustered());
        RedisTestResource.server().command("ZADD", layout.denied(), Long.toString(now + 5), entry);
        RedisTestResource.server().command("XADD", layout.revocationStream(), "*", "entry", entry, "until",
                Long.toString(now + 5));
        try {
            assertEquals(401, statusOnceRefused(plain), "a token naming the retired key");
            given().auth().oauth2(escapedValue).get("/orders").then().statusCode(401);
            given().auth().oauth2(escapedName).get("/orders").then().statusCode(401);
        } finally {
            while (Instant.now().getEpochSecond() <= now + 6) {
                Thread.sleep(100);
            }
        }
        given().auth().oauth2(plain).get("/orders").then().statusCode(200);
    }

    @Test
    void tokenWithoutKidThenRefused() {
        // The JWKS here has one key, which SmallRye would use for a token that names none.
        String noKid = TestIssuer.signWithRawHeader(TestIssuer.claims("someone", "orders-service", "orders:read"),
                "{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}");
        given().auth().oauth2(noKid).get("/orders").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("invalid_token"));
    }

    @Test
    void exchangedTokenWhenTheClientItCameThroughIsDisabledThenRefused() throws Exception {
        // A token another service exchanged for the person (RFC 8693): its client_id is that service, and
        // origin_client_id the client the person's own token was issued to.
        String origin = "disabled-" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        String exchanged = exchanged("some-service", origin, java.util.Map.of("sub", "some-service"), now);
        String sameServiceOtherOrigin = exchanged("some-service", "other-" + UUID.randomUUID(),
                java.util.Map.of("sub", "some-service"), now);
        given().auth().oauth2(exchanged).get("/orders").then().statusCode(200);

        cutOff(origin, now - 5, now + 900);
        assertEquals(401, statusOnceRefused(exchanged), "exchanged from a token of the disabled client");
        given().auth().oauth2(sameServiceOtherOrigin).get("/orders").then().statusCode(200);
    }

    @Test
    void exchangedAgainWhenAServiceThatActedEarlierIsDisabledThenRefused() throws Exception {
        // Exchanged twice (RFC 8693 §4.1): act names the last service, act.act the one before it.
        String earlier = "disabled-" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        String token = exchanged("later-service", "spa-" + UUID.randomUUID(),
                java.util.Map.of("sub", "later-service", "act", java.util.Map.of("sub", earlier)), now);
        given().auth().oauth2(token).get("/orders").then().statusCode(200);
        cutOff(earlier, now - 5, now + 900);
        assertEquals(401, statusOnceRefused(token), "a service along the chain was disabled");
    }
}
