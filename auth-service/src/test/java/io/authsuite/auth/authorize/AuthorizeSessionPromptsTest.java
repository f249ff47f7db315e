package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.path;
import static io.authsuite.auth.OAuthFlow.query;
import static io.authsuite.auth.OAuthFlow.submitLogin;
import static io.authsuite.auth.authorize.AuthorizeEndpointTest.assertErrorPage;
import static io.authsuite.auth.authorize.AuthorizeEndpointTest.form;
import static io.authsuite.auth.authorize.AuthorizeEndpointTest.post;
import static io.authsuite.auth.authorize.AuthorizeEndpointTest.postRaw;
import static io.authsuite.auth.authorize.AuthorizeEndpointTest.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.users.PasswordHasher;
import io.authsuite.auth.users.UserStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The authorization endpoint with a signed-in person: POST with a session, and the prompt list against sessions and
 * consents. Apart from {@link AuthorizeEndpointTest} because it sets up users and consents in-process, which the
 * packaged-application run ({@code AuthorizeEndpointIT}) cannot.
 */
@QuarkusTest
class AuthorizeSessionPromptsTest {

    private static final String PASSWORD = "prompt-pass-1";

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Inject
    Consents consents;

    @Inject
    io.authsuite.auth.clients.ClientRegistry clients;

    @io.quarkus.test.common.http.TestHTTPResource("/oauth2/authorize")
    java.net.URI authorizeUri;

    private String freshUser() {
        String name = "a-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash(PASSWORD), name + "@example.test", name, Set.of("user"));
        return name;
    }

    /** A login session of {@code user}, signed in through the first-party SPA. */
    private static String sessionOf(String user) {
        OAuthFlow.SignedIn signedIn = OAuthFlow.signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT,
                "openid", Pkce.create(), null, null), user, PASSWORD);
        assertNotNull(signedIn.session());
        return signedIn.session();
    }


    @Test
    void authorizeWhenPostedWithSessionThenCode() {
        Map<String, String> p = authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), "x", null);
        Response r = post(p, sessionOf(freshUser()));
        assertEquals(303, r.statusCode(), r.asString());
        Map<String, String> back = query(r.getHeader("Location"));
        assertNotNull(back.get("code"));
        assertEquals("x", back.get("state"));
    }

    @Test
    void authorizeWhenPostedAsJsonOrOtherNonFormBodyThenErrorPageNever500() throws Exception {
        String json = "{\"response_type\":\"code\",\"client_id\":\"" + TestClients.SPA + "\"}";
        assertErrorPage(postRaw("application/json", json, null), 400, "x-www-form-urlencoded");
        assertErrorPage(postRaw("text/plain", form(valid()), null), 400, "x-www-form-urlencoded");
        // Sent as they are (RestAssured would encode or complete them): multipart, no Content-Type, malformed ones.
        java.util.Map<String, String> raw = new java.util.LinkedHashMap<>();
        raw.put("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n"
                + TestClients.SPA + "\r\n--x--\r\n");
        raw.put("", form(valid()));
        raw.put("not a type", form(valid()));
        raw.put("application/", form(valid()));
        raw.put(";;;", form(valid()));
        raw.put("application/x-www-form-urlencodedx", form(valid()));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (Map.Entry<String, String> c : raw.entrySet()) {
            var request = java.net.http.HttpRequest.newBuilder(authorizeUri)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(c.getValue()));
            if (!c.getKey().isEmpty()) {
                request.header("Content-Type", c.getKey());
            }
            java.net.http.HttpResponse<String> r = client.send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), c.getKey() + ": " + r.body());
            assertTrue(r.headers().firstValue("Location").isEmpty(), c.getKey());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                    c.getKey() + ": " + r.headers().map() + " " + r.body());
        }
    }

    @Test
    void authorizeWhenPromptIsLoginConsentThenBothApply() {
        String user = freshUser();
        String session = sessionOf(user);
        consents.grant(users.byUsername(user).orElseThrow().subject(), clients.find(TestClients.THIRD).orElseThrow(),
                Set.of("openid", "email"));
        Map<String, String> p = authorizeParams(TestClients.THIRD, TestClients.THIRD_REDIRECT, "openid email",
                Pkce.create(), "lc", null);
        // Without prompt the session and the earlier consent give a code at once.
        authorize(p, session).then().statusCode(303).header("Location", containsString("code="));
        for (String prompt : List.of("login consent", "consent login")) {
            p.put("prompt", prompt);
            Response r = authorize(p, session);
            assertEquals(303, r.statusCode(), prompt);
            String login = path(r.getHeader("Location"));
            assertTrue(login.startsWith("/login?request="), prompt + ": " + login);
            Response signedIn = submitLogin(login, user, PASSWORD);
            assertEquals(303, signedIn.statusCode(), prompt);
            String next = path(signedIn.getHeader("Location"));
            // login is satisfied by that sign-in; consent is still asked for, though it was given before.
            assertTrue(next.startsWith("/consent?request="), prompt + ": " + next);
        }
    }

    @Test
    void authorizeWhenPromptIsLoginThenOneFreshSignInSatisfiesIt() {
        String user = freshUser();
        String session = sessionOf(user);
        Map<String, String> p = valid();
        p.put("prompt", "login");
        Response r = authorize(p, session);
        String login = path(r.getHeader("Location"));
        assertTrue(login.startsWith("/login?request="), login);
        Response signedIn = submitLogin(login, user, PASSWORD);
        assertEquals(303, signedIn.statusCode());
        assertNotNull(query(signedIn.getHeader("Location")).get("code"), signedIn.getHeader("Location"));
    }

    @Test
    void authorizeWhenPromptIsSelectAccountThenSignInPageEvenWithSessionAndOtherAccountMayBeChosen() {
        String first = freshUser();
        String second = freshUser();
        String session = sessionOf(first);
        Map<String, String> p = valid();
        p.put("prompt", "select_account");
        Response r = post(p, session);
        assertEquals(303, r.statusCode(), r.asString());
        String login = path(r.getHeader("Location"));
        assertTrue(login.startsWith("/login?request="), login);
        Response signedIn = submitLogin(login, second, PASSWORD);
        assertEquals(303, signedIn.statusCode());
        assertNotNull(query(signedIn.getHeader("Location")).get("code"));
        String newSession = signedIn.getCookie("__Host-authsuite_session");
        assertNotNull(newSession);
        assertNotEquals(session, newSession);
        // Discovery says which values are understood.
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("prompt_values_supported", org.hamcrest.Matchers.hasItems("none", "login", "consent",
                        "select_account"));
    }

    @Test
    void authorizeWhenPromptNoneWithSessionButNoConsentThenConsentRequired() {
        String user = freshUser();
        String session = sessionOf(user);
        Map<String, String> p = authorizeParams(TestClients.THIRD, TestClients.THIRD_REDIRECT, "openid email",
                Pkce.create(), "pn", null);
        p.put("prompt", "none");
        Response r = authorize(p, session);
        assertEquals(303, r.statusCode());
        assertEquals("consent_required", query(r.getHeader("Location")).get("error"));
    }
}
