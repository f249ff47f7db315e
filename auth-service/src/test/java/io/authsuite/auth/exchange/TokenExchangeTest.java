package io.authsuite.auth.exchange;

import static io.authsuite.auth.OAuthFlow.authorizeParams;
import static io.authsuite.auth.OAuthFlow.exchange;
import static io.authsuite.auth.OAuthFlow.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.authsuite.auth.OAuthFlow;
import io.authsuite.auth.TestClients;
import io.authsuite.auth.store.RevocationStore;
import io.authsuite.auth.token.AccessTokenIssuer;
import io.authsuite.auth.token.FormParameters;
import io.authsuite.auth.token.TokenRequests;
import io.authsuite.auth.token.TokenRequestsAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Token exchange on behalf of a person (RFC 8693), every rule of {@link TokenExchangeGrant}, both ways. */
@QuarkusTest
class TokenExchangeTest {

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    @Inject
    RevocationStore revocations;

    @Inject
    AccessTokenIssuer issuer;

    @Inject
    io.authsuite.auth.token.AccessTokenVerifier verifier;

    /** A person's access token, signed in through the first-party SPA with {@code scope}. */
    private static String personToken(String scope) {
        OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
        OAuthFlow.SignedIn signedIn = signIn(authorizeParams(TestClients.SPA, TestClients.SPA_REDIRECT, scope, pkce,
                null, null), TestClients.USER, TestClients.password(TestClients.USER));
        return exchange(TestClients.SPA, signedIn.code(), TestClients.SPA_REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().path("access_token");
    }

    private static String basic(String client) {
        return TokenRequests.basic(client, TestClients.secret(client));
    }

    private static RequestSpecification as(String client) {
        return given().header("Authorization", basic(client))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", GRANT);
    }

    private static Response exchangeFor(String client, String subjectToken, String audience) {
        return as(client).formParam("subject_token", subjectToken).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("audience", audience).post("/oauth2/token");
    }

    private static JsonPath claims(String jwt) {
        return new JsonPath(OAuthFlow.claims(jwt));
    }

    @Test
    void exchangeWhenPersonsTokenSentToServiceThenTokenForTargetKeepsPersonAndNamesService() {
        String person = personToken("openid orders:read orders:write");
        JsonPath subject = claims(person);
        Response response = exchangeFor(TestClients.EXCHANGER, person, "inventory-service");
        response.then().statusCode(200).header("Cache-Control", "no-store")
                .body("issued_token_type", equalTo(ACCESS_TOKEN)).body("token_type", equalTo("Bearer"))
                .body("refresh_token", nullValue()).body("scope", equalTo("inventory:read inventory:reserve"));
        JsonPath exchanged = claims(response.path("access_token"));
        assertEquals(subject.getString("sub"), exchanged.getString("sub"));
        Object aud = exchanged.get("aud");
        assertTrue(aud.equals("inventory-service") || aud.equals(List.of("inventory-service")), "aud " + aud);
        assertEquals(TestClients.EXCHANGER, exchanged.getString("act.sub"));
        assertEquals(TestClients.EXCHANGER, exchanged.getString("client_id"));
        assertEquals(subject.getList("groups"), exchanged.getList("groups"));
        assertTrue(exchanged.getLong("exp") <= subject.getLong("exp"), "lives no longer than the subject token");
    }

    @Test
    void exchangeWhenScopeRequestedThenOnlyThatScope() {
        String person = personToken("openid orders:write");
        as(TestClients.EXCHANGER).formParam("subject_token", person).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("resource", "http://127.0.0.1:8082").formParam("scope", "inventory:reserve")
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("inventory:reserve"));
        as(TestClients.EXCHANGER).formParam("subject_token", person).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("audience", "inventory-service").formParam("scope", "inventory:write")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void exchangeWhenPersonsTokenLacksTheSubjectScopesThenInvalidScope() {
        // The person let the service read orders, not place them: nothing to carry on with at inventory-service.
        exchangeFor(TestClients.EXCHANGER, personToken("openid orders:read"), "inventory-service")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void exchangeWithoutSubjectScopesThenOnlyScopesThePersonHolds() {
        exchangeFor(TestClients.PLAIN_EXCHANGER, personToken("orders:read inventory:read"), "inventory-service")
                .then().statusCode(200).body("scope", equalTo("inventory:read"));
        exchangeFor(TestClients.PLAIN_EXCHANGER, personToken("orders:read"), "inventory-service")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void exchangeWhenTargetNotRegisteredThenInvalidTarget() {
        exchangeFor(TestClients.EXCHANGER, personToken("openid orders:write"), "orders-service")
                .then().statusCode(400).body("error", equalTo("invalid_target"));
        as(TestClients.EXCHANGER).formParam("subject_token", personToken("openid orders:write"))
                .formParam("subject_token_type", ACCESS_TOKEN).formParam("resource", "https://unknown.example/")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_target"));
    }

    @Test
    void exchangeWhenTargetOutsideTheClientsAudiencesThenInvalidTarget() {
        // Its exchange policy names inventory-service, but its audiences no longer do: they bound every grant.
        exchangeFor(TestClients.FENCED_EXCHANGER, personToken("openid orders:read inventory:read"), "inventory-service")
                .then().statusCode(400).body("error", equalTo("invalid_target"));
        // The same person's token through a client whose audiences allow it: the refusal was the audiences'.
        exchangeFor(TestClients.PLAIN_EXCHANGER, personToken("openid orders:read inventory:read"), "inventory-service")
                .then().statusCode(200);
    }

    @Test
    void exchangeWhenSubjectTokenJustExpiredThenInvalidRequest() {
        // A person's token for orders-service, as the SPA's sign-in makes one, that expired a few seconds ago.
        Instant now = Instant.now();
        Set<String> scopes = Set.of("openid", "orders:read", "orders:write");
        String live = issuer.issue("someone", TestClients.SPA, Set.of("orders-service"), scopes, Map.of(),
                new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), now, now.plusSeconds(60))).value();
        exchangeFor(TestClients.EXCHANGER, live, "inventory-service").then().statusCode(200);
        String expired = issuer.issue("someone", TestClients.SPA, Set.of("orders-service"), scopes, Map.of(),
                new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), now.minusSeconds(900), now.minusSeconds(5)))
                .value();
        // RFC 8693 §2.2.2: an invalid subject token is invalid_request, not a token that is already expired.
        exchangeFor(TestClients.EXCHANGER, expired, "inventory-service").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void exchangeWhenSubjectTokenWasNotSentToThisServiceThenInvalidRequest() {
        // A token for inventory-service only: orders-service never received it, so it may not act with it.
        exchangeFor(TestClients.EXCHANGER, personToken("inventory:read"), "inventory-service")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void exchangeWhenSubjectTokenIsAClientsOwnThenInvalidRequest() {
        String clientToken = given().header("Authorization", basic(TestClients.SERVICE))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:write").post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
        exchangeFor(TestClients.EXCHANGER, clientToken, "inventory-service")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void exchangeWhenSubjectTokenMalformedOrOfAnotherTypeThenInvalidRequest() {
        String person = personToken("openid orders:write");
        exchangeFor(TestClients.EXCHANGER, "not-a-token", "inventory-service")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        as(TestClients.EXCHANGER).formParam("subject_token", person)
                .formParam("subject_token_type", "urn:ietf:params:oauth:token-type:id_token")
                .formParam("audience", "inventory-service").post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        as(TestClients.EXCHANGER).formParam("subject_token", person).formParam("audience", "inventory-service")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        as(TestClients.EXCHANGER).formParam("subject_token", person).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token")
                .formParam("audience", "inventory-service").post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        as(TestClients.EXCHANGER).formParam("subject_token", person).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("actor_token", person).formParam("actor_token_type", ACCESS_TOKEN)
                .formParam("audience", "inventory-service").post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        as(TestClients.EXCHANGER).formParam("subject_token", person).formParam("subject_token_type", ACCESS_TOKEN)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void exchangeWhenClientNotRegisteredForItThenUnauthorizedClient() {
        exchangeFor(TestClients.SERVICE, personToken("openid orders:write"), "inventory-service")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void exchangeWhenSubjectTokenRevokedThenRefusedAndTokensExchangedBeforeAreRevokedWithIt() {
        String person = personToken("openid orders:write");
        String exchanged = exchangeFor(TestClients.EXCHANGER, person, "inventory-service").then().statusCode(200)
                .extract().path("access_token");
        // RFC 7009: the SPA revokes the person's access token.
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", TestClients.SPA)
                .formParam("token", person).formParam("token_type_hint", "access_token")
                .post("/oauth2/revoke").then().statusCode(200);
        assertTrue(revocations.isTokenDenied(claims(exchanged).getString("jti")),
                "a token obtained with a revoked token is revoked with it");
        exchangeFor(TestClients.EXCHANGER, person, "inventory-service")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    /** A person's access token for orders-service, issued to {@code client}, live for five minutes. */
    private String personTokenThrough(String client, Set<String> scopes) {
        Instant now = Instant.now();
        return issuer.issue("someone", client, Set.of("orders-service"), scopes, Map.of(),
                new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), now, now.plusSeconds(300))).value();
    }

    @Test
    void exchangeWhenClientOfThePersonsTokenDisabledThenExchangedTokensEndWithItsOwn() {
        // The person signed in through a client that is disabled (or deleted) later: ClientManagement's cut-off.
        String origin = "origin-" + UUID.randomUUID();
        String person = personTokenThrough(origin, Set.of("openid", "orders:write"));
        String exchanged = exchangeFor(TestClients.EXCHANGER, person, "inventory-service").then().statusCode(200)
                .extract().path("access_token");
        assertEquals(origin, claims(exchanged).getString("origin_client_id"));
        String other = personToken("openid orders:write");
        String unrelated = exchangeFor(TestClients.EXCHANGER, other, "inventory-service").then().statusCode(200)
                .extract().path("access_token");
        assertTrue(verifier.verify(exchanged).isPresent());

        revocations.denyClient(origin, Instant.ofEpochSecond(Instant.now().getEpochSecond()), 900);

        assertTrue(verifier.verify(person).isEmpty(), "the person's own token");
        assertTrue(verifier.verify(exchanged).isEmpty(), "a token exchanged from it: its client_id is the exchanger's");
        assertTrue(verifier.verify(unrelated).isPresent(), "tokens that came through other clients stay");
    }

    @Test
    void exchangeWhenExchangedTokenExchangedAgainThenOriginKeptAndActorsNested() {
        String origin = "origin-" + UUID.randomUUID();
        String person = personTokenThrough(origin, Set.of("orders:read", "inventory:read"));
        String first = exchangeForAll(TestClients.MULTI_EXCHANGER, person, "inventory-service", "orders-service")
                .then().statusCode(200).extract().path("access_token");
        // PLAIN_EXCHANGER stands for orders-service too, so the first exchanged token was sent to it.
        String second = exchangeFor(TestClients.PLAIN_EXCHANGER, first, "inventory-service").then().statusCode(200)
                .extract().path("access_token");
        JsonPath claims = claims(second);
        assertEquals(origin, claims.getString("origin_client_id"));
        assertEquals(TestClients.PLAIN_EXCHANGER, claims.getString("act.sub"));
        assertEquals(TestClients.MULTI_EXCHANGER, claims.getString("act.act.sub"));
    }

    @Test
    void exchangeWhenSubjectTokensChainIsAsLongAsVerifiersWalkThenInvalidRequest() {
        // A chain as a cycle of exchange policies (a -> b -> a ...) would build it, one actor per exchange.
        Map<String, Object> act = null;
        for (int i = 0; i < io.authsuite.auth.token.AccessTokenVerifier.MAX_ACTORS; i++) {
            Map<String, Object> outer = new java.util.LinkedHashMap<>();
            outer.put("sub", i % 2 == 0 ? TestClients.PLAIN_EXCHANGER : TestClients.MULTI_EXCHANGER);
            if (act != null) {
                outer.put("act", act);
            }
            act = outer;
        }
        Instant now = Instant.now();
        Set<String> scopes = Set.of("orders:read", "orders:write");
        String deep = issuer.issue("someone", TestClients.SPA, Set.of("orders-service"), scopes, Map.of("act", act),
                new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), now, now.plusSeconds(60))).value();
        exchangeFor(TestClients.EXCHANGER, deep, "inventory-service").then().statusCode(400)
                .body("error", equalTo("invalid_request"));

        // One actor fewer is still exchanged.
        @SuppressWarnings("unchecked")
        Map<String, Object> shorter = (Map<String, Object>) act.get("act");
        String fits = issuer.issue("someone", TestClients.SPA, Set.of("orders-service"), scopes,
                Map.of("act", shorter), new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), now,
                        now.plusSeconds(60))).value();
        String exchanged = exchangeFor(TestClients.EXCHANGER, fits, "inventory-service").then().statusCode(200)
                .extract().path("access_token");
        assertTrue(verifier.verify(exchanged).isPresent());
    }

    @Test
    void verifyWhenAServiceAlongTheChainIsDisabledThenExchangedTokenRefused() {
        // Disabling a service that acted along the way ends what was obtained with its tokens (RFC 8693 §4.1 act).
        String first = "svc-a-" + UUID.randomUUID();
        String second = "svc-b-" + UUID.randomUUID();
        Instant now = Instant.now();
        Map<String, Object> act = Map.of("sub", second, "act", Map.of("sub", first));
        String token = issuer.issue("someone", second, Set.of("inventory-service"), Set.of("inventory:read"),
                Map.of("act", act, "origin_client_id", "origin-" + UUID.randomUUID()),
                new AccessTokenIssuer.Ticket(UUID.randomUUID().toString(), now, now.plusSeconds(300))).value();
        assertTrue(verifier.verify(token).isPresent());
        revocations.denyClient(first, Instant.ofEpochSecond(Instant.now().getEpochSecond()), 900);
        assertTrue(verifier.verify(token).isEmpty(), "the first service's disable reaches the second's token");
    }

    private static Response exchangeForAll(String client, String subjectToken, String... audiences) {
        return as(client).formParam("subject_token", subjectToken).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("audience", (Object[]) audiences).post("/oauth2/token");
    }

    /** A token exchange whose audience parameters are exactly {@code audiences} as written (empty ones too). */
    private static Response exchangeWithRawAudiences(String client, String subjectToken, String audiences) {
        return given().header("Authorization", basic(client)).contentType("application/x-www-form-urlencoded")
                .body("grant_type=" + encode(GRANT) + "&subject_token=" + encode(subjectToken)
                        + "&subject_token_type=" + encode(ACCESS_TOKEN) + "&" + audiences)
                .post("/oauth2/token");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void exchangeWhenTwoAudiencesThenTokenCarriesBoth() {
        String person = personToken("openid orders:read inventory:read");
        Response response = exchangeForAll(TestClients.MULTI_EXCHANGER, person, "inventory-service", "orders-service");
        response.then().statusCode(200).body("issued_token_type", equalTo(ACCESS_TOKEN))
                .body("scope", equalTo("inventory:read orders:read"));
        String token = response.path("access_token");
        // RFC 7519 §4.1.3: aud an array of both.
        assertEquals(List.of("inventory-service", "orders-service"), claims(token).getList("aud"));
        // Introspection by a resource server of one of them sees it active, as far as it serves it (RFC 7662 §2.2).
        JsonPath introspected = TokenRequestsAccess.introspect(token);
        assertTrue(introspected.getBoolean("active"), introspected.prettify());
        assertEquals(List.of("orders-service"), introspected.getList("aud"));
        assertEquals("orders:read", introspected.getString("scope"));
    }

    @Test
    void exchangeWhenAudienceAndResourceNameTwoTargetsThenTokenCarriesBoth() {
        String person = personToken("openid orders:read inventory:read");
        String token = as(TestClients.MULTI_EXCHANGER).formParam("subject_token", person)
                .formParam("subject_token_type", ACCESS_TOKEN).formParam("audience", "inventory-service")
                .formParam("resource", "http://127.0.0.1:8081").post("/oauth2/token")
                .then().statusCode(200).body("scope", equalTo("inventory:read orders:read"))
                .extract().path("access_token");
        assertThat(claims(token).getList("aud"),
                containsInAnyOrder("inventory-service", "orders-service"));
    }

    @Test
    void exchangeWhenOneOfTwoAudiencesNotRegisteredForClientThenInvalidTarget() {
        // Each audience is held to the client's exchange registration, as a single one is.
        exchangeForAll(TestClients.EXCHANGER, personToken("openid orders:write"), "inventory-service",
                "orders-service").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_target")).body("error_description", containsString("orders-service"));
        exchangeForAll(TestClients.MULTI_EXCHANGER, personToken("openid orders:read inventory:read"),
                "inventory-service", "unknown-service").then().statusCode(400)
                .body("error", equalTo("invalid_target"));
    }

    @Test
    void exchangeWhenOneOfTwoAudiencesGetsNoScopeThenInvalidScope() {
        // The person's token holds nothing of orders-service this client may carry on with.
        exchangeForAll(TestClients.MULTI_EXCHANGER, personToken("openid orders:write inventory:read"),
                "inventory-service", "orders-service").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void exchangeWhenAnAudienceAmongSeveralIsEmptyThenInvalidRequest() {
        String person = personToken("openid orders:read inventory:read");
        for (String audiences : List.of("audience=inventory-service&audience=", "audience=&audience=orders-service",
                "audience=&audience=")) {
            exchangeWithRawAudiences(TestClients.MULTI_EXCHANGER, person, audiences).then().statusCode(400)
                    .contentType(ContentType.JSON).body("error", equalTo("invalid_request"));
        }
    }

    @Test
    void exchangeWhenSameAudienceTwiceThenInvalidRequest() {
        exchangeForAll(TestClients.MULTI_EXCHANGER, personToken("openid orders:read inventory:read"),
                "inventory-service", "orders-service", "inventory-service").then().statusCode(400)
                .contentType(ContentType.JSON).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("twice"));
    }

    @Test
    void exchangeWhenMoreAudiencesThanAllowedThenInvalidRequest() {
        String person = personToken("openid orders:read inventory:read");
        List<String> audiences = new ArrayList<>(List.of("inventory-service", "orders-service"));
        for (int i = audiences.size(); i < FormParameters.MAX_REPEATS + 1; i++) {
            audiences.add("service-" + i);
        }
        exchangeForAll(TestClients.MULTI_EXCHANGER, person, audiences.toArray(String[]::new)).then()
                .statusCode(400).contentType(ContentType.JSON).body("error", equalTo("invalid_request"));
        // At the limit, the values are taken and each checked: the unknown ones are invalid_target.
        exchangeForAll(TestClients.MULTI_EXCHANGER, person,
                audiences.subList(0, FormParameters.MAX_REPEATS).toArray(String[]::new))
                .then().statusCode(400).body("error", equalTo("invalid_target"));
    }

    @Test
    void tokenRequestWhenAudienceRepeatedOutsideTokenExchangeThenInvalidRequest() {
        given().header("Authorization", basic(TestClients.SERVICE)).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "orders:read")
                .formParam("audience", "orders-service", "inventory-service").post("/oauth2/token")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("audience"));
    }

    @Test
    void discoveryThenAdvertisesTokenExchange() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("grant_types_supported", hasItem(GRANT));
    }
}
