package io.authsuite.auth.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.authorize.Csrf;
import io.authsuite.auth.token.TokenRequestsAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/** The console's signing keys when they are managed in Redis: rotate now and retire, from the page's own forms. */
@QuarkusTest
@TestProfile(KeyRotationTest.ManagedKeys.class)
class ConsoleKeysTest {

    private static final String SESSION = "__Host-authsuite_session";

    private static String adminSession() {
        return OAuthFlow.signIn(OAuthFlow.authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), null, null), TestClients.ADMIN, TestClients.password(TestClients.ADMIN)).session();
    }

    private static Response post(String session, String path) {
        return given().redirects().follow(false).cookie(SESSION, session)
                .contentType("application/x-www-form-urlencoded").formParam("csrf", Csrf.forSession(session)).post(path);
    }

    /** The kid of the row of the keys page in {@code state}. */
    private static String kidIn(String page, String state) {
        Matcher m = Pattern.compile("data-kid=\"([^\"]+)\" data-state=\"" + state + "\"").matcher(page);
        assertTrue(m.find(), "a " + state + " key on\n" + page);
        return m.group(1);
    }

    private static String page(String session) {
        return given().cookie(SESSION, session).get("/admin/console/keys").then().statusCode(200)
                .body(containsString("id=\"rotate\"")).extract().asString();
    }

    private static List<String> publishedKids() {
        return given().get("/oauth2/jwks").then().statusCode(200).extract().jsonPath().getList("keys.kid");
    }

    @Test
    void rotateAndRetireFromConsoleThenNextKeySignsAndRetiredKeyUnpublished() throws Exception {
        String session = adminSession();
        // A fleet's first start publishes its next key a prime search after the active one.
        KeyRotationTest.keySet(KeyRotationTest.adminToken());
        String page = page(session);
        String active = kidIn(page, "active");
        String next = kidIn(page, "next");

        post(session, "/admin/console/keys/rotate").then().statusCode(303).header("Location", endsWith("?done=key-rotated"));
        String token = TokenRequestsAccess.serviceToken();
        assertEquals(next, JsonWebSignature.fromCompactSerialization(token).getKeyIdHeaderValue());
        String rotated = page(session);
        assertEquals(next, kidIn(rotated, "active"));
        assertEquals(active, kidIn(rotated, "previous"));

        post(session, "/admin/console/keys/" + active + "/retire").then().statusCode(303)
                .header("Location", endsWith("?done=key-retired"));
        assertFalse(publishedKids().contains(active), "a retired key is no longer published");
        assertTrue(publishedKids().contains(next));
        post(session, "/admin/console/keys/no-such-kid/retire").then().statusCode(404)
                .body(containsString("No such key."));
    }
}
