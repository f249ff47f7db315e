package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The login issue's bar: a standard OpenID Connect client (Nimbus OAuth 2.0 SDK), given only the issuer URL and
 * the demo credentials, discovers the server, signs alice in through the login form with code + PKCE, validates
 * the id_token, calls userinfo, refreshes with rotation and sees the family revoked on reuse.
 */
class StandardOidcClientIT {

    private static final ClientID CLIENT = new ClientID("web-app");
    private static final URI REDIRECT = URI.create("http://127.0.0.1:9999/callback");

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.shared();
    }

    @Test
    void discoverSignInValidateUserInfoRefreshAndReuseRevokes() throws Exception {
        Issuer issuer = new Issuer(suite.auth.url());
        OIDCProviderMetadata op = OIDCProviderMetadata.resolve(issuer);
        assertTrue(op.getCodeChallengeMethods().contains(CodeChallengeMethod.S256));

        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile", "email", "orders:read", "orders:write"), CLIENT, REDIRECT)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();

        URI callback = signInThroughLoginForm(request.toURI(), "alice", "alice-password");
        AuthorizationResponse response = AuthorizationResponse.parse(callback);
        assertEquals(state, response.getState());
        AuthorizationSuccessResponse success = response.toSuccessResponse();
        // RFC 9207: the response names its issuer.
        assertEquals(issuer, success.getIssuer());
        AuthorizationCode code = success.getAuthorizationCode();

        TokenResponse tokenResponse = OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), CLIENT,
                new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
        assertTrue(tokenResponse.indicatesSuccess(), () -> tokenResponse.toErrorResponse().getErrorObject().toString());
        OIDCTokenResponse tokens = (OIDCTokenResponse) tokenResponse.toSuccessResponse();

        IDTokenValidator validator = new IDTokenValidator(issuer, CLIENT, JWSAlgorithm.RS256, op.getJWKSetURI().toURL());
        IDTokenClaimsSet idClaims = validator.validate(tokens.getOIDCTokens().getIDToken(), nonce);
        assertEquals("alice@example.com", idClaims.getStringClaim("email"));

        UserInfoResponse userInfo = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                (BearerAccessToken) tokens.getOIDCTokens().getAccessToken()).toHTTPRequest().send());
        UserInfoSuccessResponse info = userInfo.toSuccessResponse();
        assertEquals(idClaims.getSubject(), info.getUserInfo().getSubject());
        assertEquals("Alice Liddell", info.getUserInfo().getName());

        // The access token works at orders-service, and the order belongs to alice's subject id.
        given().auth().oauth2(tokens.getOIDCTokens().getAccessToken().getValue()).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"BOOK-002\",\"quantity\":1}]}")
                .post(suite.orders.url() + "/orders")
                .then().statusCode(201).body("owner", org.hamcrest.Matchers.equalTo(idClaims.getSubject().getValue()));

        RefreshToken first = tokens.getOIDCTokens().getRefreshToken();
        TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), CLIENT,
                new RefreshTokenGrant(first)).toHTTPRequest().send());
        assertTrue(refreshed.indicatesSuccess());
        RefreshToken second = refreshed.toSuccessResponse().getTokens().getRefreshToken();
        assertNotEquals(first, second, "refresh tokens rotate on every use");

        TokenResponse reuse = OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), CLIENT,
                new RefreshTokenGrant(first)).toHTTPRequest().send());
        assertInstanceOf(TokenErrorResponse.class, reuse);
        assertEquals(OAuth2Error.INVALID_GRANT.getCode(), reuse.toErrorResponse().getErrorObject().getCode());

        TokenResponse afterRevocation = OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), CLIENT,
                new RefreshTokenGrant(second)).toHTTPRequest().send());
        assertEquals(OAuth2Error.INVALID_GRANT.getCode(), afterRevocation.toErrorResponse().getErrorObject().getCode(),
                "reuse of a spent refresh token revokes the whole family");
    }

    /** What a browser does: follow the authorization request to the login form, fill it in, submit it. */
    static URI signInThroughLoginForm(URI authorizationRequest, String username, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(authorizationRequest).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, authorize.statusCode(), authorize.body());
        URI login = authorizationRequest.resolve(authorize.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(login).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String csrf = field(page.body(), "csrf");
        String requestId = field(page.body(), "request");
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("authsuite_csrf="))
                .findFirst().orElseThrow().split(";")[0];
        String form = "request=" + enc(requestId) + "&username=" + enc(username) + "&password=" + enc(password)
                + "&csrf=" + enc(csrf);
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(login.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, submitted.statusCode(), submitted.body());
        return URI.create(submitted.headers().firstValue("Location").orElseThrow());
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no field " + name + " in the login page");
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
