package io.authsuite.auth.requestobject;

import static io.restassured.RestAssured.given;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.OAuthFlow.Pkce;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.TestKeys;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Clients that sign their authorization requests (RFC 9101), registered through the admin API of the server under
 * test. One instance per test class: the issuer and the admin token belong to the server that class runs against.
 */
final class RequestObjectClients {

    static final String REDIRECT = "https://rp.example.test/cb";
    /** The clients' key pair: its public half is registered as their jwks, through the admin API or configuration. */
    static final RsaJsonWebKey KEY = TestKeys.shared("request-object-client", "rp-1");

    private String issuer;
    private String admin;

    synchronized String issuer() {
        if (issuer == null) {
            issuer = given().get("/.well-known/oauth-authorization-server").then().extract().path("issuer");
        }
        return issuer;
    }

    private synchronized String admin() {
        if (admin == null) {
            admin = OAuthFlow.userToken(TestClients.ADMIN, "openid clients:manage");
        }
        return admin;
    }

    Response create(String id, Map<String, Object> registration) {
        return given().auth().oauth2(admin()).contentType("application/json")
                .body(Map.of("client_id", id, "registration", registration)).post("/admin/clients");
    }

    /** A first-party web client that authenticates with private_key_jwt, so has registered KEY's public half. */
    String register(Map<String, Object> extra) {
        String id = "jar-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> registration = new LinkedHashMap<>(Map.of("grant_types", List.of("authorization_code"),
                "scopes", List.of("openid", "orders:read"), "redirect_uris", List.of(REDIRECT),
                "token_endpoint_auth_methods", List.of("private_key_jwt"), "first_party", true, "jwks", publicHalf()));
        registration.putAll(extra);
        create(id, registration).then().statusCode(201);
        return id;
    }

    static Map<String, Object> publicHalf() {
        try {
            return org.jose4j.json.JsonUtil.parseJson(publicJwks());
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** KEY's public half as a JWK Set, as a client registers it. */
    static String publicJwks() {
        return new JsonWebKeySet(KEY).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The claims of a valid authorization request by {@code clientId}, for this server. */
    JwtClaims request(String clientId, Pkce pkce, String state) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(clientId);
        claims.setAudience(issuer());
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setIssuedAtToNow();
        claims.setClaim("client_id", clientId);
        claims.setClaim("response_type", "code");
        claims.setClaim("redirect_uri", REDIRECT);
        claims.setClaim("scope", "openid orders:read");
        claims.setClaim("code_challenge", pkce.challenge());
        claims.setClaim("code_challenge_method", "S256");
        claims.setClaim("state", state);
        claims.setClaim("nonce", "n-" + state);
        claims.setClaim("max_age", 600);
        return claims;
    }

    static String sign(JwtClaims claims, RsaJsonWebKey key, String type) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            if (type != null) {
                jws.setHeader("typ", type);
            }
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
