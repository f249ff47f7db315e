package io.authsuite.auth.token;

import io.authsuite.auth.clients.ClientAuthenticator;
import io.authsuite.auth.clients.ClientRates;
import io.authsuite.auth.clients.ClientRegistry;
import io.authsuite.auth.clients.RegisteredClient;
import io.authsuite.auth.dpop.TokenRequestProofs;
import io.authsuite.auth.web.Addresses;
import io.authsuite.redis.RedisFailures;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token endpoint (RFC 6749 §3.2): parses the request, authenticates the client, checks the client may use
 * the grant, and hands over to the one {@link GrantHandler} for that {@code grant_type}.
 */
@Path("/oauth2/token")
public class TokenEndpoint {

    /** Grants refused outright, with the rule that refuses them. */
    private static final Map<String, String> REFUSED = Map.of(
            "password", "the resource owner password credentials grant is not supported (RFC 9700 section 2.4)",
            "implicit", "the implicit grant is not supported (RFC 9700 section 2.1.2)");

    /** What only a token exchange may repeat (RFC 8693 §2.1): checked once the grant type is known. */
    private static final Set<String> EXCHANGE_REPEATABLE = Set.of("audience");

    private final ClientAuthenticator authenticator;
    private final Grants grants;
    private final BrowserDelivery browser;
    private final ClientRates rates;
    private final TokenRequestProofs proofs;
    private final TokenMetrics metrics;
    private final Duration redisTimeout;

    public TokenEndpoint(ClientAuthenticator authenticator, Grants grants, BrowserDelivery browser, ClientRates rates,
                         TokenRequestProofs proofs,
                         @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration redisTimeout,
                         TokenMetrics metrics) {
        this.metrics = metrics;
        this.proofs = proofs;
        this.rates = rates;
        this.authenticator = authenticator;
        this.grants = grants;
        this.browser = browser;
        this.redisTimeout = redisTimeout;
    }

    /**
     * Runs on the event loop (a {@code Uni}): the form is read there, client credentials and refresh grants wait for
     * Redis without blocking and sign there, and only the sign-in grants move to a worker ({@link GrantHandler}).
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TokenResponse>> token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @HeaderParam("Origin") String origin,
                          @HeaderParam(BrowserDelivery.CUSTOM_HEADER) String customHeader,
                          @CookieParam(BrowserDelivery.COOKIE) String refreshCookie,
                          String body, @Context HttpServerRequest http) {
        SingleUseSpend spend = new SingleUseSpend();
        // RFC 6749 §3.2: the client MUST use HTTP POST with application/x-www-form-urlencoded parameters.
        FormParameters form = FormParameters.parse(contentType, body, EXCHANGE_REPEATABLE);
        String grantType = form.require("grant_type");
        if (!ClientRegistry.TOKEN_EXCHANGE.equals(grantType)) {
            // RFC 8693 §2.1 lets audience repeat in a token exchange only; elsewhere RFC 6749 §3.2 forbids repeats.
            form.refuseRepeated("audience");
        }
        return authenticator.authenticateAsync(authorization, form, Addresses.source(http)).chain(client -> {
            GrantHandler handler = grants.forType(grantType).orElseThrow(() ->
                    OAuthError.unsupportedGrantType(REFUSED.getOrDefault(grantType, "grant type not supported")));
            if (!client.mayUse(grantType)) {
                throw OAuthError.unauthorizedClient("the client may not use " + grantType);
            }
            rates.count(client, Addresses.source(http));
            BrowserDelivery.Mode mode = browser.prepare(form, client, refreshCookie, origin, customHeader);
            return proofs.check(http, client).chain(key -> handler.handle(mode.form(), client, key, spend)
                    .chain(response -> proofs.offeredNonce(key).map(nonce -> {
                        var answer = browser.deliver(response, mode)
                                // RFC 6749 §5.1: responses carrying tokens MUST NOT be cached.
                                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                .header("Pragma", "no-cache");
                        if (nonce != null) {
                            answer.header(TokenRequestProofs.NONCE_HEADER, nonce);
                        }
                        return answer.build();
                    })));
        // The reactive Redis client has no timeout of its own; the blocking one waits quarkus.redis.timeout.
        }).ifNoItem().after(redisTimeout).fail()
                // RFC 6749 §4.1.2, RFC 9700 §4.14.2: a grant that may be used up makes its retry a replay that
                // revokes it; the generic 503 would invite that retry with Retry-After.
                .onFailure(e -> RedisFailures.isUnavailable(e) && !spend.retryMaySucceed(e))
                .transform(e -> new OAuthError(503, "temporarily_unavailable", "the grant may have been used, but "
                        + "its store did not answer in time; start again", Map.of()))
                .onFailure().invoke(e -> metrics.failed(grantType, e));
    }
}
