package io.authsuite.auth.clients;

import io.authsuite.auth.config.AuthConfig;
import io.authsuite.auth.store.OpaqueTokens;
import io.authsuite.auth.token.OAuthError;
import io.authsuite.redis.DurableWrites;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 §2.2 and §3, OIDC Core §9): the client proves itself with a
 * short-lived JWT signed by a key whose public half it registered, so no shared secret exists to leak.
 *
 * <p>Checked: an asymmetric algorithm ({@link #ALGORITHMS}); the signature, by a registered key; {@code iss} and
 * {@code sub} both the client id; {@code aud} this server (its issuer or the URL of the endpoint the assertion is
 * sent to); {@code exp} present, not past, and at most {@link #MAX_LIFETIME} ahead; {@code jti} present and never
 * seen before, remembered in Redis until the assertion expires, so that all replicas refuse a replay.
 */
@ApplicationScoped
public class ClientAssertions {

    public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** Advertised in discovery as token_endpoint_auth_signing_alg_values_supported. */
    public static final List<String> ALGORITHMS = ClientSignedJwts.ALGORITHMS;
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final String SEEN = "auth:client-assertion:";

    /** Reads the claims without trusting them: only to find whose keys to verify with. */
    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    private final ClientRegistry registry;
    private final RedisDataSource redis;
    private final DurableWrites durable;
    private final List<String> audiences;

    public ClientAssertions(ClientRegistry registry, RedisDataSource redis, DurableWrites durable, AuthConfig config) {
        this.registry = registry;
        this.redis = redis;
        this.durable = durable;
        String issuer = config.issuer();
        this.audiences = config.clientRegistry().endpointAudiences()
                ? List.of(issuer, issuer + "/oauth2/token", issuer + "/oauth2/revoke", issuer + "/oauth2/introspect",
                        issuer + "/oauth2/device_authorization", issuer + "/oauth2/par")
                : List.of(issuer);
    }

    /** The client a {@code client_assertion} authenticates; {@code postedId} is the request's client_id, if any. */
    RegisteredClient authenticate(String assertion, Optional<String> postedId) {
        String clientId;
        try {
            JwtContext unverified = UNVERIFIED.process(assertion);
            clientId = unverified.getJwtClaims().getSubject();
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw OAuthError.invalidClient("client_assertion is not a JWT");
        }
        if (clientId == null || postedId.isPresent() && !postedId.get().equals(clientId)) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        RegisteredClient client = registry.find(clientId)
                .filter(c -> c.authMethods().contains(RegisteredClient.PRIVATE_KEY_JWT))
                .orElseThrow(() -> OAuthError.invalidClient("client authentication failed"));
        JwtContext verified;
        try {
            verified = ClientSignedJwts.signedBy(client, MAX_LIFETIME)
                    // RFC 7523 §3 items 1-2: iss and sub MUST be the client_id.
                    .setExpectedIssuer(clientId).setExpectedSubject(clientId)
                    // RFC 7523 §3 item 3: aud MUST identify the authorization server.
                    .setExpectedAudience(audiences.toArray(String[]::new))
                    .setRequireJwtId()
                    .build().process(assertion);
        } catch (InvalidJwtException e) {
            throw OAuthError.invalidClient("client_assertion is invalid: "
                    + ClientSignedJwts.reason(e, MAX_LIFETIME, "iss and sub must both be the client_id"));
        }
        JwtClaims claims = verified.getJwtClaims();
        try {
            // RFC 7523 §3 item 3 with draft-ietf-oauth-rfc7523bis: this server as the sole audience; an assertion also
            // meant for another server may be that server's replay.
            if (claims.getAudience().size() != 1) {
                throw OAuthError.invalidClient("client_assertion is invalid: aud must name this server alone");
            }
        } catch (MalformedClaimException e) {
            throw OAuthError.invalidClient("client_assertion is invalid: malformed aud");
        }
        if (ClientSignedJwts.isRequestObject(verified)) {
            // RFC 8725 §3.12 and RFC 9101 §10.8: a request object, which travels through the browser, signed by the
            // same key is not a credential, whatever its claims.
            throw OAuthError.invalidClient("client_assertion is invalid: a request object is not a client assertion");
        }
        try {
            // RFC 7523 §3 item 7: a jti seen before is a replay. One key per assertion, until it could not be used.
            long ttl = Math.max(1, claims.getExpirationTime().getValue() - Instant.now().getEpochSecond()
                    + ClientSignedJwts.clockSkew().toSeconds());
            String key = SEEN + clientId + ":" + OpaqueTokens.hash(claims.getJwtId());
            // Durable like the other single-use markers (codes, device approvals): a marker lost in a failover would
            // let the same assertion authenticate again on the promoted replica.
            String earlier = durable.write(redis, ds -> ds.value(String.class).setGet(key, "1", new SetArgs().nx().ex(ttl)),
                    previous -> previous == null);
            if (earlier != null) {
                throw OAuthError.invalidClient("client_assertion was already used");
            }
        } catch (MalformedClaimException e) {
            throw OAuthError.invalidClient("client_assertion is invalid: malformed exp or jti");
        }
        return client;
    }
}
