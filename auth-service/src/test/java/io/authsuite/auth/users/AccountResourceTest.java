package io.authsuite.auth.users;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.refresh;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AccountResourceTest {

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    @Test
    void logoutEverywhereThenEverySessionFamilyAndAccessTokenEnds() throws Exception {
        String name = "everywhere-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, hasher.hash("pass-phrase"), name + "@example.test", name, Set.of("user"));
        Pkce a = Pkce.create();
        OAuthFlow.SignedIn first = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", a, null, null),
                name, "pass-phrase");
        JsonPath one = exchange(TestClients.SPA, first.code(), TestClients.SPA_REDIRECT, a.verifier()).then().statusCode(200)
                .extract().jsonPath();
        Pkce b = Pkce.create();
        OAuthFlow.SignedIn second = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", b, null, null),
                name, "pass-phrase");
        JsonPath two = exchange(TestClients.SPA, second.code(), TestClients.SPA_REDIRECT, b.verifier()).then().statusCode(200)
                .extract().jsonPath();
        Thread.sleep(1100);

        given().auth().oauth2(one.getString("access_token")).post("/account/logout-everywhere").then().statusCode(204);

        given().auth().oauth2(two.getString("access_token")).get("/oauth2/userinfo").then().statusCode(401);
        refresh(TestClients.SPA, one.getString("refresh_token"), null).then().statusCode(400);
        refresh(TestClients.SPA, two.getString("refresh_token"), null).then().statusCode(400);
        OAuthFlow.authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null),
                second.session()).then().statusCode(303).header("Location", containsString("/login"));
    }
}
