package io.authsuite.auth.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Argon2id holds ~19 MiB per check; with one check allowed at a time and no waiting, a burst of sign-ins gets 503 +
 * Retry-After for the checks that found no slot, never an out-of-memory death, and the server signs people in again right after.
 */
@QuarkusTest
@TestProfile(PasswordCheckLimitTest.OneCheckAtATime.class)
class PasswordCheckLimitTest {

    public static class OneCheckAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.login.concurrent-password-checks", "1", "auth.login.password-check-wait", "PT0S");
        }
    }

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @TestHTTPResource("/login")
    URI loginUri;

    @Test
    void loginBurstBeyondConcurrentPasswordChecksThenServiceUnavailablePageWithRetryAfter()
            throws Exception {
        String name = "burst-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("correct-horse"), name + "@example.test", name, Set.of("user"));
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            // Each its own unknown user: the per-user budget stays out of the way; the decoy check costs the same.
            requests.add(OAuthFlow.loginPost(loginUri, "nobody-" + i, "wrong"));
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> sent = requests.stream()
                .map(r -> client.sendAsync(r, HttpResponse.BodyHandlers.ofString())).toList();
        int busy = 0;
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertTrue(r.statusCode() == 401 || r.statusCode() == 503, "status " + r.statusCode());
            if (r.statusCode() == 503) {
                busy++;
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                // A person at the sign-in form gets the form again with the reason, not the token endpoint's JSON.
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                        "Content-Type " + r.headers().firstValue("Content-Type"));
                assertTrue(r.body().contains("id=\"sign-in\"") && r.body().contains("Try again"), r.body());
            }
        }
        assertTrue(busy > 0, "16 checks at once with one slot and no wait: some must have been turned away");
        assertEquals(303, OAuthFlow.submitLogin(OAuthFlow.loginLocation(), name, "correct-horse").statusCode(),
                "once the burst is over, sign-in works again");
    }
}
