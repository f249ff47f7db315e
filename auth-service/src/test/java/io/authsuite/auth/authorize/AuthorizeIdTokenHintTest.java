package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.path;
import static io.authsuite.auth.OAuthFlow.query;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.authsuite.auth.OAuthFlow.submitLogin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** OIDC Core §3.1.2.1 {@code id_token_hint} at the authorization endpoint: only the person it names may be answered. */
@QuarkusTest
class AuthorizeIdTokenHintTest {

    private static final String PASSWORD = "hint-pass-1";

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    private record Person(String name, String session, String idToken, String accessToken) {
    }

    private Person signedInPerson() {
        String name = "h-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash(PASSWORD), name + "@example.test", name, Set.of("user"));
        Pkce pkce = Pkce.create();
        OAuthFlow.SignedIn s = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", pkce, null,
                null), name, PASSWORD);
        JsonPath tokens = exchange(TestClients.SPA, s.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().jsonPath();
        return new Person(name, s.session(), tokens.getString("id_token"), tokens.getString("access_token"));
    }

    private static Map<String, String> hinted(String hint, String prompt) {
        Map<String, String> p = new HashMap<>(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid",
                Pkce.create(), "st", null));
        p.put("id_token_hint", hint);
        if (prompt != null) {
            p.put("prompt", prompt);
        }
        return p;
    }

    @Test
    void authorizeWithHintOfSignedInPersonAndPromptNoneThenCode() {
        Person alice = signedInPerson();
        Response r = authorize(hinted(alice.idToken(), "none"), alice.session());
        assertEquals(303, r.statusCode(), r.asString());
        Map<String, String> back = query(r.getHeader("Location"));
        assertNotNull(back.get("code"), back.toString());
        assertEquals("st", back.get("state"));
    }

    @Test
    void authorizeWithHintOfAnotherPersonAndPromptNoneThenLoginRequired() {
        Person alice = signedInPerson();
        Person bob = signedInPerson();
        Response r = authorize(hinted(alice.idToken(), "none"), bob.session());
        assertEquals(303, r.statusCode(), r.asString());
        Map<String, String> back = query(r.getHeader("Location"));
        assertEquals("login_required", back.get("error"), back.toString());
        assertNull(back.get("code"));
        assertEquals("st", back.get("state"));
    }

    @Test
    void authorizeWithHintOfAnotherPersonThenOnlyThatPersonsSignInAnswers() {
        Person alice = signedInPerson();
        Person bob = signedInPerson();
        Response r = authorize(hinted(alice.idToken(), null), bob.session());
        assertEquals(303, r.statusCode(), r.asString());
        String login = path(r.getHeader("Location"));
        assertTrue(login.startsWith("/login?request="), login);

        Response wrongPerson = submitLogin(login, bob.name(), PASSWORD);
        assertEquals(303, wrongPerson.statusCode(), wrongPerson.asString());
        Map<String, String> back = query(wrongPerson.getHeader("Location"));
        assertEquals("login_required", back.get("error"), back.toString());
        assertNull(back.get("code"));
        assertNotNull(wrongPerson.getCookie("__Host-authsuite_session"), "whoever signed in keeps their session");

        String again = path(authorize(hinted(alice.idToken(), null), bob.session()).getHeader("Location"));
        Response rightPerson = submitLogin(again, alice.name(), PASSWORD);
        assertNotNull(query(rightPerson.getHeader("Location")).get("code"), rightPerson.getHeader("Location"));
    }

    @Test
    void authorizeWithHintThatIsNoIdTokenOfThisServerForThisClientThenInvalidRequest() {
        Person alice = signedInPerson();
        String[] payload = alice.idToken().split("\\.");
        String[] hostile = {
            "not-a-jwt",
            alice.accessToken(),
            payload[0] + "." + payload[1] + "." + payload[2].substring(0, payload[2].length() - 4) + "AAAA",
            payload[0] + "." + payload[1] + ".",
            "x".repeat(3000),
        };
        for (String hint : hostile) {
            Response r = authorize(hinted(hint, "none"), alice.session());
            assertEquals(303, r.statusCode(), r.asString());
            Map<String, String> back = query(r.getHeader("Location"));
            assertEquals("invalid_request", back.get("error"), hint);
            assertNull(back.get("code"));
        }
    }
}
