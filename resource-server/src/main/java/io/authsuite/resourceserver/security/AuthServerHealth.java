package io.authsuite.resourceserver.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data about auth-service. Its outage degrades this service (no new JWKS keys, no new service tokens)
 * without stopping it: cached keys and tokens keep requests with valid tokens working. So the check stays UP and
 * says what is degraded, rather than taking every replica out of the load balancer at once.
 */
@Readiness
@ApplicationScoped
public class AuthServerHealth implements HealthCheck {

    private final String jwksUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private volatile Instant checkedAt = Instant.EPOCH;
    private volatile boolean reachable;

    public AuthServerHealth(@ConfigProperty(name = "mp.jwt.verify.publickey.location") String jwksUrl) {
        this.jwksUrl = jwksUrl;
    }

    @Override
    public HealthCheckResponse call() {
        if (jwksUrl.startsWith("http") && Duration.between(checkedAt, Instant.now()).toSeconds() >= 5) {
            reachable = probe();
            checkedAt = Instant.now();
        }
        boolean remote = jwksUrl.startsWith("http");
        return HealthCheckResponse.named("auth-service")
                .up()
                .withData("jwks", remote ? (reachable ? "reachable" : "unreachable: serving with cached keys and tokens")
                        : "local file")
                .build();
    }

    private boolean probe() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(jwksUrl))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
