package io.authsuite.auth.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts issued tokens per grant type and client ({@code authsuite_tokens_issued_total} in Prometheus), and refused
 * token requests per grant type and error ({@code authsuite_tokens_errors_total}).
 */
@ApplicationScoped
public class TokenMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A refused token request; unknown grant types count as "other", so an attacker cannot grow the labels. */
    public void failed(String grantType, Throwable failure) {
        String grant = io.authsuite.auth.clients.ClientRegistry.KNOWN_GRANTS.contains(grantType) ? grantType : "other";
        String error = failure instanceof OAuthError oauth ? oauth.error() : "server_error";
        registry.counter("authsuite.tokens.errors", "grant_type", grant, "error", error).increment();
    }

    public void issued(String grantType, String clientId) {
        // Client ids come from the registry, so the tag's cardinality is bounded by it.
        counters.computeIfAbsent(grantType + '\0' + clientId, k -> Counter.builder("authsuite.tokens.issued")
                .description("Access tokens issued")
                .tag("grant_type", grantType)
                .tag("client_id", clientId)
                .register(registry)).increment();
    }
}
