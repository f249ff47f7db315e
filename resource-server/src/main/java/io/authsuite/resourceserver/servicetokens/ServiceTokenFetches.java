package io.authsuite.resourceserver.servicetokens;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times every token request this service makes to auth-service through quarkus-oidc-client: its own
 * client-credentials tokens and the tokens it exchanges for a person. {@code authsuite_service_token_fetches_seconds}
 * by grant type and outcome shows a service that fetches far more often than its tokens expire (a cache that does not
 * hold) and an auth-service that refuses it. Requests that never got an answer are counted by the circuit breakers.
 */
@ApplicationScoped
@Unremovable // looked up by quarkus-oidc-client, never injected
@OidcEndpoint(OidcEndpoint.Type.TOKEN)
public class ServiceTokenFetches implements OidcRequestFilter, OidcResponseFilter {

    static final String METRIC = "authsuite.service.token.fetches";
    private static final String STARTED = ServiceTokenFetches.class.getName() + ".started";
    private static final String GRANT = ServiceTokenFetches.class.getName() + ".grant";
    /** The grants quarkus-oidc-client sends here; any other is tagged {@code other}, to keep the label bounded. */
    private static final Set<String> KNOWN_GRANTS = Set.of("client_credentials", "refresh_token", "password",
            "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer");

    private final MeterRegistry registry;

    public ServiceTokenFetches(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(OidcRequestContext request) {
        request.contextProperties().put(STARTED, System.nanoTime());
        request.contextProperties().put(GRANT, grantType(request.requestBody()));
    }

    @Override
    public void filter(OidcResponseContext response) {
        Long started = response.requestProperties().get(STARTED, Long.class);
        if (started == null) {
            return;
        }
        String grant = response.requestProperties().getString(GRANT);
        Timer.builder(METRIC)
                .description("Token requests of this service to auth-service, by grant type and outcome")
                .tag("grant_type", grant == null ? "other" : grant)
                .tag("outcome", outcome(response.statusCode()))
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    static String outcome(int status) {
        if (status / 100 == 2) {
            return "success";
        }
        return status / 100 == 4 ? "refused" : "failed";
    }

    static String grantType(Buffer form) {
        if (form == null) {
            return "other";
        }
        for (String pair : form.toString().split("&")) {
            if (pair.startsWith("grant_type=")) {
                String grant = java.net.URLDecoder.decode(pair.substring("grant_type=".length()),
                        java.nio.charset.StandardCharsets.UTF_8);
                return KNOWN_GRANTS.contains(grant) ? grant : "other";
            }
        }
        return "other";
    }
}
