package io.authsuite.auth.authorize;

import static io.authsuite.auth.OAuthFlow.authorize;
import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.authorize.LogoutResourceTest.Session;
import io.authsuite.auth.keys.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** An id_token_hint signs the person out at once only when it is an ID Token of this issuer for the same client. */
@QuarkusTest
class LogoutHintTest {

    private static Session signedIn() {
        return LogoutResourceTest.signedIn();
    }

    @Inject
    SigningKeys keys;

    /** A token signed with the server's own key, with the given header typ and claims changed. */
    private String forged(String typ, String issuer, String audience, String subject) throws Exception {
        return forged(typ, issuer, audience, subject, org.jose4j.jwt.NumericDate.now());
    }

    private String forged(String typ, String issuer, String audience, String subject,
                          org.jose4j.jwt.NumericDate issuedAt) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setIssuedAt(issuedAt);
        claims.setExpirationTimeMinutesInTheFuture(5);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(keys.active().kid());
        jws.setHeader("typ", typ);
        jws.setKey(keys.active().privateKey());
        return jws.getCompactSerialization();
    }

    private static void assertAsksFirst(Session s, String hint, String clientId) {
        var request = given().redirects().follow(false).cookie("__Host-authsuite_session", s.cookie())
                .queryParam("id_token_hint", hint);
        if (clientId != null) {
            request.queryParam("client_id", clientId);
        }
        request.get("/oauth2/logout").then().statusCode(200).body(containsString("Sign out?"));
        // Nothing ended: the session still signs in without a password.
        authorize(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, "openid", Pkce.create(), null, null),
                s.cookie()).then().statusCode(303).header("Location", containsString("code="));
    }

    @Test
    void logoutWithIdTokenIssuedBeforeTheCurrentSignInThenConfirmationAsked() throws Exception {
        Session s = signedIn();
        String subject = JwtClaims.parse(OAuthFlow.claims(s.idToken())).getSubject();
        // The same person's ID Token for the same client, from a session that ended an hour ago: a link carrying it
        // must not end this session unasked (RP-Initiated Logout §2).
        org.jose4j.jwt.NumericDate anHourAgo = org.jose4j.jwt.NumericDate.now();
        anHourAgo.addSeconds(-3600);
        assertAsksFirst(s, forged("JWT", "https://auth.test", TestClients.SPA, subject, anHourAgo), null);
    }

    @Test
    void logoutWithAccessTokenAsHintThenConfirmationAsked() {
        Session s = signedIn();
        assertAsksFirst(s, s.accessToken(), null);
    }

    @Test
    void logoutWithHintFromAnotherIssuerOrForUnregisteredClientOrOtherClientIdThenConfirmationAsked() throws Exception {
        Session s = signedIn();
        String subject = JwtClaims.parse(OAuthFlow.claims(s.idToken())).getSubject();
        assertAsksFirst(s, forged("JWT", "https://evil.example", TestClients.SPA, subject), null);
        assertAsksFirst(s, forged("JWT", "https://auth.test", "no-such-client", subject), null);
        assertAsksFirst(s, forged("at+jwt", "https://auth.test", TestClients.SPA, subject), null);
        // RP-Initiated Logout §2: client_id and the hint's audience must agree.
        assertAsksFirst(s, s.idToken(), TestClients.THIRD);
    }

    @Test
    void logoutWhenClientIdDiffersFromHintAudienceThenNoPostLogoutRedirect() throws Exception {
        Session s = signedIn();
        String subject = JwtClaims.parse(OAuthFlow.claims(s.idToken())).getSubject();
        // RP-Initiated Logout §2 and §4: the hint names another client than client_id, so it failed validation and the
        // redirect it would vouch for is not followed, even without a session to ask about (the SPA's own URI).
        for (String hint : java.util.List.of(forged("JWT", "https://auth.test", TestClients.THIRD, subject),
                forged("JWT", "https://evil.example", TestClients.SPA, subject))) {
            given().redirects().follow(false)
                    .queryParam("id_token_hint", hint)
                    .queryParam("client_id", TestClients.SPA)
                    .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9999/bye")
                    .queryParam("state", "s")
                    .get("/oauth2/logout")
                    .then().statusCode(200).header("Location", org.hamcrest.Matchers.nullValue())
                    .body(containsString("signed out"));
        }
        // The control: the same request with the SPA's own ID Token is redirected.
        given().redirects().follow(false)
                .queryParam("id_token_hint", s.idToken())
                .queryParam("client_id", TestClients.SPA)
                .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9999/bye")
                .queryParam("state", "s")
                .get("/oauth2/logout")
                .then().statusCode(303).header("Location", org.hamcrest.Matchers.equalTo("http://127.0.0.1:9999/bye?state=s"));
    }
}
