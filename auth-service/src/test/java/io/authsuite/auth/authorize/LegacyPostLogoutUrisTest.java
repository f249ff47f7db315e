package io.authsuite.auth.authorize;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.ClientStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Logout with clients stored before post-logout URIs were checked (written straight to the store, as an older
 * release did): apart from {@link LogoutResourceTest}, whose cases also run against the packaged application, because
 * it writes the store in-process.
 */
@QuarkusTest
class LegacyPostLogoutUrisTest {

    @Inject
    ClientStore clientStore;

    @Inject
    ClientRegistry clientRegistry;

    /**
     * A client whose post-logout URI the admin API now refuses, stored as an older release did: such records are still
     * served, so logout must neither fail on the URI nor redirect to it.
     */
    private String legacyClient(String postLogoutUri) {
        String id = "logout-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        long now = java.time.Instant.now().getEpochSecond();
        io.authsuite.auth.clients.ClientRegistration registration = new io.authsuite.auth.clients.ClientRegistration(
                null, null, java.util.List.of("client_credentials"), java.util.List.of("orders:read"), null, null, null,
                null, java.util.List.of(postLogoutUri), null, null, null, null, null, null, null, null, null, null);
        org.junit.jupiter.api.Assertions.assertTrue(clientStore.create(new io.authsuite.auth.clients.StoredClient(id,
                registration, java.util.List.of(new io.authsuite.auth.clients.StoredClient.Secret(
                        io.authsuite.auth.clients.ClientSecrets.hash("legacy-secret"), now, null)), false, 0,
                io.authsuite.auth.clients.StoredClient.ADMIN, null, false, null, now, now, 0)));
        clientRegistry.refresh();
        return id;
    }

    @Test
    void logoutGetWhenRegisteredPostLogoutUriIsNoUriThenSignedOutWithoutRedirect() {
        String id = legacyClient("https://app.example/a b");
        given().redirects().follow(false).queryParam("client_id", id)
                .queryParam("post_logout_redirect_uri", "https://app.example/a b").queryParam("state", "s")
                .get("/oauth2/logout")
                .then().statusCode(200).header("Location", nullValue()).body(containsString("signed out"));
    }

    @Test
    void logoutGetWhenRegisteredPostLogoutUriIsJavascriptThenSignedOutWithoutRedirect() {
        String id = legacyClient("javascript:alert(document.cookie)");
        given().redirects().follow(false).queryParam("client_id", id)
                .queryParam("post_logout_redirect_uri", "javascript:alert(document.cookie)")
                .get("/oauth2/logout")
                .then().statusCode(200).header("Location", nullValue()).body(containsString("signed out"));
    }
}
