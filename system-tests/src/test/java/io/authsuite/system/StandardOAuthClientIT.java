package io.authsuite.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
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
 * Revocation, introspection, the device flow, private_key_jwt client authentication, DPoP and dynamic client
 * registration through a standard OAuth 2.0 client (Nimbus SDK).
 */
class StandardOAuthClientIT {

    private static Suite suite;
    private static OIDCProviderMetadata op;

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.shared();
        op = OIDCProviderMetadata.resolve(new Issuer(suite.auth.url()));
    }

    private static AccessToken demoCliToken() throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID("demo-cli"), new Secret("demo-cli-secret")),
                new ClientCredentialsGrant(), new Scope("orders:read")).toHTTPRequest().send());
        return response.toSuccessResponse().getTokens().getAccessToken();
    }

    private static boolean introspectedActive(AccessToken token) throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                op.getIntrospectionEndpointURI(),
                new ClientSecretBasic(new ClientID("orders-service"), new Secret(suite.ordersSecret)), token)
                .toHTTPRequest().send());
        return response.toSuccessResponse().isActive();
    }

    /**
     * private_key_jwt through Nimbus: it builds and signs the client assertion (RFC 7523) with the issuer that
     * discovery names as its audience; the same assertion sent again is a replay. One made out to the token endpoint,
     * Nimbus' older default, is refused: another server could have obtained it by naming that endpoint as its own.
     */
    @Test
    void standardClientWhenPrivateKeyJwtThenTokenAndReplayedAssertionInvalidClient() throws Exception {
        assertTrue(op.getTokenEndpointAuthMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT));
        PrivateKeyJWT toEndpoint = new PrivateKeyJWT(new ClientID("keyclient"), op.getTokenEndpointURI(),
                JWSAlgorithm.RS256, suite.keyClientKey.toRSAPrivateKey(), suite.keyClientKey.getKeyID(), null);
        TokenResponse refused = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(), toEndpoint,
                new ClientCredentialsGrant(), new Scope("orders:read")).toHTTPRequest().send());
        assertEquals("invalid_client", refused.toErrorResponse().getErrorObject().getCode());

        PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID("keyclient"), java.net.URI.create(op.getIssuer().getValue()),
                JWSAlgorithm.RS256, suite.keyClientKey.toRSAPrivateKey(), suite.keyClientKey.getKeyID(), null);
        TokenRequest request = new TokenRequest(op.getTokenEndpointURI(), assertion, new ClientCredentialsGrant(),
                new Scope("orders:read"));
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        given().auth().oauth2(token.getValue()).get(suite.orders.url() + "/orders").then().statusCode(200);

        TokenResponse replay = TokenResponse.parse(request.toHTTPRequest().send());
        assertFalse(replay.indicatesSuccess());
        assertEquals("invalid_client", replay.toErrorResponse().getErrorObject().getCode());
    }

    /**
     * DPoP through Nimbus (RFC 9449): its proof factory signs with a fresh EC key, it learns the token endpoint's nonce
     * from use_dpop_nonce as the RFC has clients do, gets a DPoP-bound token, and uses it at orders-service with a
     * proof of the same key; the same token as a bearer token is refused.
     */
    @Test
    void standardClientWhenDpopThenNonceAskedThenBoundToken() throws Exception {
        assertTrue(op.getDPoPJWSAlgs().contains(JWSAlgorithm.ES256));
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        TokenRequest request = new TokenRequest(op.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID("demo-cli"), new Secret("demo-cli-secret")),
                new ClientCredentialsGrant(), new Scope("orders:read"));

        HTTPRequest first = request.toHTTPRequest();
        first.setDPoP(proofs.createDPoPJWT("POST", op.getTokenEndpointURI()));
        HTTPResponse refused = first.send();
        TokenResponse needsNonce = TokenResponse.parse(refused);
        assertEquals("use_dpop_nonce", needsNonce.toErrorResponse().getErrorObject().getCode());
        Nonce nonce = refused.getDPoPNonce();

        HTTPRequest second = request.toHTTPRequest();
        second.setDPoP(proofs.createDPoPJWT("POST", op.getTokenEndpointURI(), nonce));
        TokenResponse response = TokenResponse.parse(second.send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        DPoPAccessToken token = response.toSuccessResponse().getTokens().getDPoPAccessToken();
        assertTrue(token != null, "token_type DPoP");
        assertEquals(key.computeThumbprint().toString(),
                SignedJWT.parse(token.getValue()).getJWTClaimsSet().getJSONObjectClaim("cnf").get("jkt"));

        URI orders = URI.create(suite.orders.url() + "/orders");
        HTTPRequest call = new HTTPRequest(HTTPRequest.Method.GET, orders);
        call.setAuthorization(token.toAuthorizationHeader());
        call.setDPoP(proofs.createDPoPJWT("GET", orders, token));
        assertEquals(200, call.send().getStatusCode());

        given().auth().oauth2(token.getValue()).get(orders.toString()).then().statusCode(401);
    }

    /**
     * Dynamic client registration through Nimbus (RFC 7591, 7592): register with an initial access token the admin
     * API minted, get a token as the new client, read the registration back, deregister, and be refused.
     */
    @Test
    void standardClientWhenRegisteredDynamicallyThenGetsToken() throws Exception {
        String admin = suite.accessTokenFor("admin", "admin-password", "openid clients:manage");
        String initial = given().auth().oauth2(admin).contentType("application/json").body("{\"max_uses\": 1}")
                .post(suite.auth.url() + "/admin/clients/initial-access-tokens").then().statusCode(201)
                .extract().path("initial_access_token");
        ClientMetadata metadata = new ClientMetadata();
        metadata.setName("Nightly report");
        metadata.setGrantTypes(java.util.Set.of(GrantType.CLIENT_CREDENTIALS));
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        metadata.setScope(new Scope("orders:read"));
        ClientRegistrationResponse registered = ClientRegistrationResponse.parse(new ClientRegistrationRequest(
                op.getRegistrationEndpointURI(), metadata, new BearerAccessToken(initial)).toHTTPRequest().send());
        assertTrue(registered.indicatesSuccess(), () -> registered.toErrorResponse().getErrorObject().toString());
        ClientInformation client = registered.toSuccessResponse().getClientInformation();

        TokenResponse token = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(),
                new ClientSecretBasic(client.getID(), client.getSecret()), new ClientCredentialsGrant(),
                new Scope("orders:read")).toHTTPRequest().send());
        assertTrue(token.indicatesSuccess());
        given().auth().oauth2(token.toSuccessResponse().getTokens().getAccessToken().getValue())
                .get(suite.orders.url() + "/orders").then().statusCode(200);

        ClientRegistrationResponse read = ClientRegistrationResponse.parse(new ClientReadRequest(
                client.getRegistrationURI(), client.getRegistrationAccessToken()).toHTTPRequest().send());
        assertTrue(read.indicatesSuccess());
        ClientInformation readBack = read.toSuccessResponse().getClientInformation();
        assertEquals("Nightly report", readBack.getMetadata().getName());
        // RFC 7592 §2.1: the read carried a new registration access token, and the one it used has ended.
        assertEquals(401, new ClientDeleteRequest(client.getRegistrationURI(), client.getRegistrationAccessToken())
                .toHTTPRequest().send().getStatusCode());
        assertEquals(204, new ClientDeleteRequest(client.getRegistrationURI(), readBack.getRegistrationAccessToken())
                .toHTTPRequest().send().getStatusCode());
        TokenResponse refused = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(),
                new ClientSecretBasic(client.getID(), client.getSecret()), new ClientCredentialsGrant(),
                new Scope("orders:read")).toHTTPRequest().send());
        assertEquals("invalid_client", refused.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void standardClientWhenTokenRevokedThenIntrospectionInactive() throws Exception {
        AccessToken token = demoCliToken();
        assertTrue(introspectedActive(token));
        var revocation = new TokenRevocationRequest(op.getRevocationEndpointURI(),
                new ClientSecretBasic(new ClientID("demo-cli"), new Secret("demo-cli-secret")), token)
                .toHTTPRequest().send();
        assertEquals(200, revocation.getStatusCode());
        assertFalse(introspectedActive(token));
        given().auth().oauth2(token.getValue()).get(suite.orders.url() + "/orders/00000000-0000-0000-0000-000000000000")
                .then().statusCode(401);
    }

    @Test
    void standardClientWhenDeviceApprovedThenPendingThenTokens() throws Exception {
        ClientID device = new ClientID("demo-device");
        DeviceAuthorizationResponse started = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest(
                op.getDeviceAuthorizationEndpointURI(), device, new Scope("openid", "orders:read")).toHTTPRequest().send());
        DeviceAuthorizationSuccessResponse codes = started.toSuccessResponse();

        TokenResponse pending = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(), device,
                new DeviceCodeGrant(codes.getDeviceCode())).toHTTPRequest().send());
        assertEquals("authorization_pending", ((TokenErrorResponse) pending).getErrorObject().getCode());

        approve(codes.getVerificationURIComplete(), "alice", "alice-password");

        TokenResponse granted = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(), device,
                new DeviceCodeGrant(codes.getDeviceCode())).toHTTPRequest().send());
        assertTrue(granted.indicatesSuccess());
        String access = granted.toSuccessResponse().getTokens().getAccessToken().getValue();
        given().auth().oauth2(access).get(suite.orders.url() + "/orders/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404);
    }

    /** A person on another device: open the link, sign in, allow. */
    static void approve(URI link, String username, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> toLogin = http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofString());
        URI login = link.resolve(toLogin.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(login).build(), HttpResponse.BodyHandlers.ofString());
        String csrfCookie = cookie(page, "authsuite_csrf");
        String form = "next=" + enc(field(page.body(), "next")) + "&username=" + enc(username) + "&password="
                + enc(password) + "&csrf=" + enc(field(page.body(), "csrf"));
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(login.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", csrfCookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String session = cookie(signedIn, "authsuite_session");
        URI devicePage = login.resolve(signedIn.headers().firstValue("Location").orElseThrow());
        // The sign-in's redirect back to the device page, as a browser follows it: same-origin. Without the header the
        // page only fills in the code (another site could have sent the person there).
        HttpResponse<String> confirm = http.send(HttpRequest.newBuilder(devicePage).header("Cookie", session)
                .header("Sec-Fetch-Site", "same-origin").build(), HttpResponse.BodyHandlers.ofString());
        String decision = "user_code=" + enc(field(confirm.body(), "user_code")) + "&decision=approve&csrf="
                + enc(field(confirm.body(), "csrf")) + "&confirm=" + enc(field(confirm.body(), "confirm"));
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(login.resolve("/device"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", session + "; " + cookie(confirm, "authsuite_csrf"))
                .POST(HttpRequest.BodyPublishers.ofString(decision)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, done.statusCode(), done.body());
    }

    private static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow().split(";")[0];
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no field " + name);
        return m.group(1).replace("&amp;", "&");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
