package io.authsuite.auth.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts issued tokens per grant type and client ({@code authsuite_tokens_issued_total} in Prometheus). */
@ApplicationScoped
public class TokenMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
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
